package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A catalog of N archived tasks scanned (count + keyset pages) and deleted by the Cleanup Service,
 * reporting the heap: run it with -Xmx256m to show memory stays flat however many tasks there are.
 */
final class CatalogScaleBench implements Bench {
    @Override
    public String description() {
        return "scan and delete a catalog of N archived tasks; run with -Xmx256m (--tasks 1000000)";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        int n = o.integer("tasks", 1_000_000);
        Path dir = o.dir("reclaim-bench-catalog");
        try (Reclaim r = Embedded.open(dir, WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE)), false)) {
            long t0 = System.nanoTime();
            Instant at = Instant.now().minusSeconds(86_400);
            List<Task> batch = new ArrayList<>(5000);
            for (int i = 0; i < n; i++) {
                batch.add(Task.builder(Ids.next(at), "task-" + i, at).project("p" + (i % 10))
                        .status(i % 3 == 0 ? TaskStatus.CREATED : TaskStatus.COMPLETED)
                        .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(at).build());
                if (batch.size() == 5000) {
                    r.taskStore().insertTasks(batch);
                    batch.clear();
                }
            }
            r.taskStore().insertTasks(batch);
            double build = (System.nanoTime() - t0) / 1e9;
            System.out.printf("built %d archived tasks in %.1f s%n", n, build);
            System.out.flush();

            long t1 = System.nanoTime();
            long scanned = 0;
            String cursor = null;
            TaskQuery.Builder q = TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).pageSize(TaskQuery.MAX_PAGE_SIZE);
            do {
                var page = r.taskStore().query(q.cursor(cursor).build());
                scanned += page.items().size();
                cursor = page.nextCursor();
            } while (cursor != null);
            double scan = (System.nanoTime() - t1) / 1e9;
            System.out.printf("scanned %d tasks in %.1f s; cleanup starts%n", scanned, scan);
            System.out.flush();

            long t2 = System.nanoTime();
            CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(0).forceDelete(true).build(),
                    null, CleanupListener.NONE);
            double delete = (System.nanoTime() - t2) / 1e9;
            long left = r.taskStore().count(TaskQuery.builder().build());
            System.out.printf("catalog: %d archived tasks, -Xmx %d MB%n", n, Runtime.getRuntime().maxMemory() >> 20);
            System.out.printf("  build %.1f s; keyset scan of all %d tasks in pages of 500: %.1f s (%.0f tasks/s)%n",
                    build, scanned, scan, scanned / scan);
            System.out.printf("  cleanup deleted %d tasks in %.1f s (%.0f tasks/s); %d left%n", run.deleted(), delete,
                    run.deleted() / delete, left);
            System.out.printf("  peak heap in use (sampled every 20 ms): %d MB of %d MB max%n", Heap.peakUsedMb(), Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Scratch.delete(dir);
        }
    }
}
