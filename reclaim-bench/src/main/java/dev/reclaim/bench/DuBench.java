package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.UsageReport;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code reclaim du} at scale, and what keeping its totals costs writers, in one run:
 * (1) a catalog of N tasks with A artifacts each, then {@code du} grouped two ways, against a
 * recount of the records (what a report without kept totals must do); (2) the Cleanup Service on
 * T archived tasks x F files, once with the usage triggers and once on an identical store without
 * them, with the inserts that built each store timed too.
 */
final class DuBench implements Bench {
    private static final List<String> TRIGGERS = List.of("usage_artifact_inserted", "usage_artifact_deleted",
            "usage_artifact_left", "usage_artifact_entered", "usage_task_regrouped", "usage_task_deleting",
            "usage_task_deleted");

    @Override
    public String description() {
        return "du on N tasks x A artifacts vs a recount, and the cleanup overhead of keeping totals; run with -Xmx256m "
                + "(--tasks 1000000 --artifacts 3 --cleanup-tasks 20000 --files 5)";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        Path dir = o.dir("reclaim-bench-du");
        try {
            query(dir.resolve("catalog"), o.integer("tasks", 1_000_000), o.integer("artifacts", 3));
            overhead(dir, o.integer("cleanup-tasks", 20_000), o.integer("files", 5));
            System.out.printf("  peak heap in use (sampled every 20 ms): %d MB of %d MB max%n", Heap.peakUsedMb(),
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Scratch.delete(dir);
        }
    }

    private static void query(Path home, int n, int perTask) throws Exception {
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        try (Reclaim r = Embedded.open(home, workers, false)) {
            long t0 = System.nanoTime();
            Instant now = Instant.now();
            ArtifactKind[] kinds = ArtifactKind.values();
            TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED};
            List<Task> tasks = new ArrayList<>();
            List<Artifact> artifacts = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Instant created = now.minus(Duration.ofMinutes((long) i * 400 * 24 * 60 / n)); // over 400 days
                String id = Ids.next(created);
                Task.Builder t = Task.builder(id, "task-" + i, created).project("p" + (i % 100)).owner("u" + (i % 10))
                        .status(statuses[i % statuses.length]);
                if (i % 2 == 0) {
                    t.systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(created);
                }
                tasks.add(t.build());
                for (int a = 0; a < perTask; a++) {
                    artifacts.add(new Artifact(Ids.next(created), id, kinds[(i + a) % kinds.length], "a" + a,
                            "tasks/" + id + "/a" + a, 1000L + i % 1000, created, false, ArtifactState.LIVE));
                }
                if (tasks.size() == 5000) {
                    r.taskStore().insertTasks(tasks);
                    r.taskStore().insertArtifacts(artifacts);
                    tasks.clear();
                    artifacts.clear();
                }
            }
            r.taskStore().insertTasks(tasks);
            r.taskStore().insertArtifacts(artifacts);
            System.out.printf("du: built %,d tasks x %d artifacts in %.1f s%n", n, perTask, seconds(t0));
            long c0 = System.nanoTime();
            r.taskStore().compactUsage();
            System.out.printf("  compaction of the build's changes:        %8.2f s%n", seconds(c0));

            double byProjectKind = median(() -> r.usage().report(List.of(Dimension.PROJECT, Dimension.KIND), 10));
            double byAll = median(() -> r.usage().report(Arrays.asList(Dimension.values()), 10));
            double history = median(() -> r.usage().history(365));
            UsageReport report = r.usage().report(List.of(Dimension.PROJECT, Dimension.KIND), 10);
            long r0 = System.nanoTime();
            List<String> differences = r.taskStore().checkUsage(10);
            double recount = seconds(r0);
            if (!differences.isEmpty() || report.objects() != (long) n * perTask) {
                throw new IllegalStateException("usage is not the records': " + differences + ", " + report.objects());
            }
            System.out.printf("  du --by project,kind (median of 5):       %8.3f s  (%d groups; target < 1 s)%n", byProjectKind,
                    report.groups().size());
            System.out.printf("  du --by all six dimensions (median of 5): %8.3f s%n", byAll);
            System.out.printf("  du --history 365 (median of 5):           %8.3f s%n", history);
            System.out.printf("  recount of the records (fsck's check):    %8.3f s  (%.0fx the du above)%n", recount,
                    recount / byProjectKind);
        }
    }

    private static void overhead(Path dir, int taskCount, int files) throws Exception {
        // alternated, twice each, the best of each kept: the first runs also warm the JIT up
        Result with = null;
        Result without = null;
        for (int round = 0; round < 2; round++) {
            without = best(without, cleanup(dir.resolve("without" + round), taskCount, files, false));
            with = best(with, cleanup(dir.resolve("with" + round), taskCount, files, true));
        }
        System.out.printf("cleanup of %,d archived tasks x %d files, with and without the usage triggers "
                + "(best of 2 alternated runs each):%n", taskCount, files);
        System.out.printf("  inserting the records:  %8.2f s with, %8.2f s without  (%+.1f%%)%n", with.insert, without.insert,
                (with.insert / without.insert - 1) * 100);
        System.out.printf("  the cleanup run:        %8.2f s with, %8.2f s without  (%+.1f%%; target < +10%%)%n", with.cleanup,
                without.cleanup, (with.cleanup / without.cleanup - 1) * 100);
    }

    private record Result(double insert, double cleanup) {
    }

    private static Result best(Result a, Result b) {
        return a == null ? b : new Result(Math.min(a.insert, b.insert), Math.min(a.cleanup, b.cleanup));
    }

    private static Result cleanup(Path home, int taskCount, int files, boolean triggers) throws Exception {
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        Embedded.open(home, workers, false).close(); // creates and migrates the store
        if (!triggers) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("reclaim.db"));
                 Statement s = c.createStatement()) {
                for (String t : TRIGGERS) {
                    s.execute("DROP TRIGGER " + t);
                }
            }
        }
        try (Reclaim r = Embedded.open(home, workers, false)) {
            Instant at = Instant.now().minus(Duration.ofDays(40));
            byte[] content = new byte[100];
            double insert = 0;
            List<Task> tasks = new ArrayList<>();
            List<Artifact> artifacts = new ArrayList<>();
            for (int t = 0; t < taskCount; t++) {
                Instant updated = at.plusMillis(t);
                String id = Ids.next(updated);
                tasks.add(Task.builder(id, "task-" + t, updated).project("p" + (t % 10)).status(TaskStatus.COMPLETED)
                        .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(updated).statusChangedAt(updated)
                        .lastUpdateAt(updated).build());
                Path folder = Files.createDirectories(home.resolve("artifacts/tasks/" + id + "/artifacts"));
                for (int f = 0; f < files; f++) {
                    Files.write(folder.resolve("f" + f + ".bin"), content);
                    artifacts.add(new Artifact(Ids.next(updated), id, ArtifactKind.ARTIFACT, "f" + f + ".bin",
                            "tasks/" + id + "/artifacts/f" + f + ".bin", content.length, updated, false, ArtifactState.LIVE));
                }
                if (tasks.size() == 1000 || t == taskCount - 1) {
                    long i0 = System.nanoTime();
                    r.taskStore().insertTasks(tasks);
                    r.taskStore().insertArtifacts(artifacts);
                    insert += seconds(i0);
                    tasks.clear();
                    artifacts.clear();
                }
            }
            long c0 = System.nanoTime();
            CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(30).forceDelete(true)
                    .ageBasis(AgeBasis.STATUS_CHANGED).build(), null, CleanupListener.NONE);
            double cleanup = seconds(c0);
            if (run.deleted() != taskCount) {
                throw new IllegalStateException("deleted " + run.deleted() + " of " + taskCount);
            }
            return new Result(insert, cleanup);
        }
    }

    private static double median(Runnable r) {
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = seconds(s);
        }
        Arrays.sort(t);
        return t[2];
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
