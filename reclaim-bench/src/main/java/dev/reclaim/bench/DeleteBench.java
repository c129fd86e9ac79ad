package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.worker.WorkerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deleting T archived tasks with F small files each through the whole protocol (select by cursor,
 * mark, purge, finish, audit) with the Cleanup Service, against {@code rm -rf} of an identical
 * tree, in one run.
 */
final class DeleteBench implements Bench {
    @Override
    public String description() {
        return "Cleanup Service deleting T archived tasks x F files vs rm -rf of the same tree (--tasks 10000 --files 10)";
    }

    @Override
    public void run(Options o) throws Exception {
        int taskCount = o.integer("tasks", 10_000);
        int files = o.integer("files", 10);
        Path dir = o.dir("reclaim-bench-delete");
        Path home = dir.resolve("home");
        Path plain = dir.resolve("plain");
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        try (Reclaim r = Embedded.open(home, workers, false)) {
            long setup = System.nanoTime();
            populate(r, home.resolve("artifacts"), plain, taskCount, files);
            System.out.printf("delete: %d archived tasks x %d files = %d files (%.1f s to build both trees)%n",
                    taskCount, files, (long) taskCount * files, (System.nanoTime() - setup) / 1e9);
            boolean cold = Caches.drop();
            System.out.println(cold ? "  each side starts with the kernel's caches dropped"
                    : "  each side starts after a sync (dropping caches needs root)");
            long rmStart = System.nanoTime();
            Process rm = new ProcessBuilder("rm", "-rf", plain.toString()).inheritIO().start();
            if (rm.waitFor() != 0) {
                throw new IllegalStateException("rm -rf failed");
            }
            double rmSeconds = (System.nanoTime() - rmStart) / 1e9;
            Caches.drop();
            long start = System.nanoTime();
            CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder()
                    .parallelism(o.integer("parallelism", CleanupSettings.DEFAULT_PARALLELISM)).deleteThresholdDays(0).forceDelete(true).build(),
                    null, CleanupListener.NONE);
            double ours = (System.nanoTime() - start) / 1e9;
            if (run.deleted() != taskCount) {
                throw new IllegalStateException("deleted " + run.deleted() + " of " + taskCount + " tasks: " + run.items().get(0));
            }
            System.out.printf("  rm -rf (files only):                 %.2f s%n", rmSeconds);
            System.out.printf("  reclaim cleanup (files + records):   %.2f s  (%d objects, %d tasks, audit written)%n",
                    ours, run.objects(), run.deleted());
            System.out.printf("  ratio reclaim / rm -rf:              %.2fx  (target <= 1.5x)%n", ours / rmSeconds);
        } finally {
            Scratch.delete(dir);
        }
    }

    private static void populate(Reclaim r, Path artifactRoot, Path plain, int taskCount, int files) throws IOException {
        Instant at = Instant.now().minusSeconds(3600);
        byte[] content = new byte[100];
        for (int t = 0; t < taskCount; t++) {
            String id = Ids.next(at);
            Task task = Task.builder(id, "task-" + t, at).status(TaskStatus.COMPLETED)
                    .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(at).build();
            r.taskStore().insertTask(task);
            List<Artifact> list = new ArrayList<>(files);
            Path folder = Files.createDirectories(artifactRoot.resolve("tasks").resolve(id).resolve("artifacts"));
            Path plainFolder = Files.createDirectories(plain.resolve("tasks").resolve(id).resolve("artifacts"));
            for (int f = 0; f < files; f++) {
                String name = "f" + f + ".bin";
                Files.write(folder.resolve(name), content);
                Files.write(plainFolder.resolve(name), content);
                list.add(new Artifact(Ids.next(at), id, ArtifactKind.ARTIFACT, name, "tasks/" + id + "/artifacts/" + name,
                        content.length, at, false, ArtifactState.LIVE));
            }
            r.taskStore().insertArtifacts(list);
        }
    }
}
