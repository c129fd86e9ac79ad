package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.FunctionJob;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.model.JobStatus;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * End-to-end job throughput on the embedded default: N trivial Java jobs submitted without
 * waiting, run by a pool of S slots, each storing its result, until every one has FINISHED.
 */
final class JobThroughputBench implements Bench {
    @Override
    public String description() {
        return "N trivial Java jobs submitted and completed on SQLite + local folder with S worker slots (--count 1000 --slots 2)";
    }

    @Override
    public void run(Options o) throws Exception {
        int count = o.integer("count", 1000);
        int slots = o.integer("slots", 2);
        int warmup = o.integer("warmup", 300);
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE)).withSlots(slots);
        System.out.printf("jobs: %d trivial Java jobs, %d slots, embedded default (SQLite WAL + local folder)%n", count, slots);
        double durable = measure(o.dir("reclaim-bench-jobs"), workers, true, warmup, count);
        double unsynced = measure(o.dir("reclaim-bench-jobs-nosync"), workers, false, warmup, count);
        System.out.printf("  default (each result fsynced):  %.0f jobs/s%n", durable);
        System.out.printf("  without fsync of results:       %.0f jobs/s  (fsync costs %.0f%%)%n", unsynced,
                100 * (1 - durable / unsynced));
    }

    /** Jobs per second end to end: submit, claim, run, store result, finish. */
    private static double measure(Path home, WorkerSettings workers, boolean sync, int warmup, int count) {
        try (Reclaim r = Embedded.open(home, workers, sync)) {
            batch(r, warmup);
            long start = System.nanoTime();
            batch(r, count);
            return count / ((System.nanoTime() - start) / 1e9);
        } finally {
            Scratch.delete(home);
        }
    }

    private static void batch(Reclaim r, int n) {
        ComputeContext noWait = ComputeContext.local().withWait(false);
        List<JobHandle> handles = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            final int k = i;
            handles.add(r.jobs().submit(FunctionJob.of("trivial-" + i, ctx -> k), noWait));
        }
        for (JobHandle h : handles) {
            JobStatus s = r.jobs().waitFor(h.id());
            if (s != JobStatus.FINISHED) {
                throw new IllegalStateException("job " + h.id() + " ended " + s);
            }
        }
    }
}
