package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.worker.WorkerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Issue 4's benchmark: a store of T archived tasks of mixed statuses with F small files each,
 * built three times identically, and in one run (a) the Cleanup Service with force_delete, (b)
 * {@code rm -rf} of a tree holding exactly the files (a) deletes, and (c) the seed service's
 * algorithm on the same engine: offset pages of 100 ordered by last update (newest first), one
 * task at a time, its objects unlinked by one thread. (c) runs with the engine's default deleter
 * settings, so a task's objects go through the pending-delete queue in one batch, as (a)'s do:
 * the baseline measures the seed's algorithm, not per-object queue transactions that are
 * Reclaim's own and that the seed never had. The seed refuses PUBLISHED tasks as our service
 * does, so (a) and (c) delete the same tasks. Offset paging while deleting skips tasks (the
 * seed's bug), so (c) repeats passes, as the seed would on later periods, until a pass deletes
 * nothing; both its first pass and its total are reported.
 */
final class CleanupBench implements Bench {
    private static final int SEED_PAGE = 100;

    @Override
    public String description() {
        return "Cleanup Service vs rm -rf vs the seed's algorithm (one task at a time, offset paging, default deleter "
                + "batching) on T archived tasks x F files; run with -Xmx256m (--tasks 100000 --files 10)";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        int taskCount = o.integer("tasks", 100_000);
        int files = o.integer("files", 10);
        Path dir = o.dir("reclaim-bench-cleanup");
        Path ours = dir.resolve("ours");
        Path seed = dir.resolve("seed");
        Path plain = dir.resolve("plain");
        // --seed no leaves out (c) and its store: a quicker run for profiling (a) against (b)
        boolean withSeed = !o.string("seed", "yes").equals("no");
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        // --delete-threads N: (a)'s unlink threads, for measuring the default against others
        int deleteThreads = o.integer("delete-threads", FileArtifactStore.DEFAULT_DELETE_THREADS);
        try (Reclaim a = Embedded.open(ours, workers, false, deleteThreads); Reclaim c = withSeed ? seedEngine(seed, workers) : null) {
            long setup = System.nanoTime();
            int deletable = populate(a, ours.resolve("artifacts"), c, seed.resolve("artifacts"), plain, taskCount, files);
            System.out.printf("cleanup: %d archived tasks x %d files (%d deletable, %d files to delete); "
                    + "identical stores built in %.1f s%n", taskCount, files, deletable, (long) deletable * files,
                    (System.nanoTime() - setup) / 1e9);
            System.out.flush();
            boolean cold = Caches.drop();
            System.out.println(cold ? "  each side starts with the kernel's caches dropped (sync; drop_caches), as old files are"
                    : "  caches cannot be dropped here (needs root); each side starts after a sync only");

            long rmStart = System.nanoTime();
            if (new ProcessBuilder("rm", "-rf", plain.toString()).inheritIO().start().waitFor() != 0) {
                throw new IllegalStateException("rm -rf failed");
            }
            double rm = seconds(rmStart);
            System.out.printf("  (b) rm -rf of the files alone:            %8.1f s%n", rm);
            System.out.flush();

            Caches.drop();
            long aStart = System.nanoTime();
            CleanupRun run = a.cleanup().runOnce(CleanupSettings.builder()
                    .parallelism(o.integer("parallelism", CleanupSettings.DEFAULT_PARALLELISM)).deleteThresholdDays(30).forceDelete(true)
                    .ageBasis(AgeBasis.STATUS_CHANGED).build(), null, CleanupListener.NONE);
            double reclaim = seconds(aStart);
            if (run.deleted() != deletable) {
                throw new IllegalStateException("(a) deleted " + run.deleted() + " of " + deletable);
            }
            System.out.printf("  (a) reclaim cleanup:                      %8.1f s  (%d tasks, %d objects, %d skipped)%n",
                    reclaim, run.deleted(), run.objects(), run.skipped());
            System.out.flush();
            if (!withSeed) {
                System.out.printf("  ratio (a) / (b):                          %8.2fx  (target <= 0.5x); (c) left out (--seed no)%n",
                        reclaim / rm);
                return;
            }

            Caches.drop();
            long cStart = System.nanoTime();
            SeedResult s = seedAlgorithm(c);
            double baseline = seconds(cStart);
            if (s.deleted != deletable) {
                throw new IllegalStateException("(c) deleted " + s.deleted + " of " + deletable);
            }
            System.out.printf("  (c) seed algorithm, first pass:           %8.1f s  (%d tasks; offset paging skipped the rest)%n",
                    s.firstPassSeconds, s.firstPassDeleted);
            System.out.printf("  (c) seed algorithm, all %2d passes:        %8.1f s  (%d tasks)%n", s.passes, baseline, s.deleted);
            System.out.printf("  ratio (a) / (b):                          %8.2fx  (target <= 0.5x)%n", reclaim / rm);
            System.out.printf("  speed-up (c) / (a):                       %8.1fx  (first pass only: %.1fx; target >= 15x)%n",
                    baseline / reclaim, s.firstPassSeconds / reclaim);
            System.out.printf("  peak heap in use (sampled every 20 ms): %d MB of %d MB max%n", Heap.peakUsedMb(), Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Scratch.delete(dir);
        }
    }

    /**
     * The same engine with the seed's serial storage calls (one delete thread) and the engine's
     * default deleter settings: batches of one object would charge the baseline with a queue
     * transaction per object, a cost of Reclaim's protocol rather than of the seed's algorithm.
     */
    private static Reclaim seedEngine(Path home, WorkerSettings workers) {
        return Reclaim.builder()
                .taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(false).deleteThreads(1).open())
                .stagingRoot(home.resolve("staging"))
                .deleterSettings(DeleterSettings.defaults())
                .workerSettings(workers)
                .build();
    }

    private record SeedResult(long deleted, int passes, double firstPassSeconds, long firstPassDeleted) {
    }

    /**
     * cleanup_service.py: {@code Tasks.get_all(system_tags=["archived"], only_fields=["id"],
     * order_by=["-last_update"], page_size=100, page=p, status_changed=["<" + threshold])}, then
     * {@code Tasks.delete(id, force=True)} for each, page after page until a page comes back empty.
     */
    private static SeedResult seedAlgorithm(Reclaim c) {
        Instant cutoff = c.clock().instant().minus(Duration.ofDays(30));
        TaskQuery.Builder q = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED))
                .statusChanged(List.of(new TimeCondition(TimeCondition.Op.LT, cutoff)))
                .orderBy(List.of(new Order(TaskField.LAST_UPDATE, true))).pageSize(SEED_PAGE);
        long deleted = 0;
        int passes = 0;
        double firstPass = 0;
        long firstPassDeleted = 0;
        long start = System.nanoTime();
        while (true) {
            passes++;
            long deletedThisPass = 0;
            for (int page = 0; ; page++) {
                Page<Task> p = c.taskStore().query(q.page(page).build());
                if (p.items().isEmpty()) {
                    break;
                }
                for (Task t : p.items()) {
                    if (t.status() == TaskStatus.PUBLISHED) {
                        continue; // the seed's client refuses published tasks
                    }
                    DeleteResult r = c.tasks().delete(t.id(), DeleteOptions.force(true));
                    if (r.deleted()) {
                        deletedThisPass++;
                    }
                }
            }
            deleted += deletedThisPass;
            if (passes == 1) {
                firstPass = seconds(start);
                firstPassDeleted = deletedThisPass;
            }
            if (deletedThisPass == 0) {
                return new SeedResult(deleted, passes, firstPass, firstPassDeleted);
            }
        }
    }

    /** Builds the two stores and the plain tree; returns how many tasks are deletable (not PUBLISHED). */
    private static int populate(Reclaim a, Path rootA, Reclaim c, Path rootC, Path plain, int taskCount, int files) throws IOException {
        Instant now = Instant.now();
        Instant at = now.minus(Duration.ofDays(40));
        byte[] content = new byte[100];
        TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.COMPLETED,
                TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.FAILED, TaskStatus.CANCELED,
                TaskStatus.PUBLISHED};
        int deletable = 0;
        List<Task> tasks = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        for (int t = 0; t < taskCount; t++) {
            Instant updated = at.plusMillis(t); // distinct last-update times, as real tasks have
            String id = Ids.next(updated);
            TaskStatus status = statuses[t % statuses.length];
            tasks.add(Task.builder(id, "task-" + t, updated).project("p" + (t % 10)).status(status)
                    .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(updated).statusChangedAt(updated)
                    .lastUpdateAt(updated).build());
            boolean deleted = status != TaskStatus.PUBLISHED;
            deletable += deleted ? 1 : 0;
            String folder = "tasks/" + id + "/artifacts/";
            Files.createDirectories(rootA.resolve(folder));
            if (c != null) {
                Files.createDirectories(rootC.resolve(folder));
            }
            if (deleted) {
                Files.createDirectories(plain.resolve(folder));
            }
            for (int f = 0; f < files; f++) {
                String key = folder + "f" + f + ".bin";
                Files.write(rootA.resolve(key), content);
                if (c != null) {
                    Files.write(rootC.resolve(key), content);
                }
                if (deleted) {
                    Files.write(plain.resolve(key), content);
                }
                artifacts.add(new Artifact(Ids.next(updated), id, ArtifactKind.ARTIFACT, "f" + f + ".bin", key, content.length,
                        updated, false, ArtifactState.LIVE));
            }
            if (tasks.size() == 1000) {
                flush(a, c, tasks, artifacts);
            }
        }
        flush(a, c, tasks, artifacts);
        return deletable;
    }

    private static void flush(Reclaim a, Reclaim c, List<Task> tasks, List<Artifact> artifacts) {
        for (Reclaim r : c == null ? List.of(a) : List.of(a, c)) {
            r.taskStore().insertTasks(tasks);
            r.taskStore().insertArtifacts(artifacts);
        }
        tasks.clear();
        artifacts.clear();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
