package dev.reclaim.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** Runs work on several threads released at the same moment, for races in tests. */
public final class Concurrently {
    private Concurrently() {
    }

    /**
     * Runs each callable on its own thread, all started together, and waits for all of them.
     *
     * @throws Exception the first failure of any of them (wrapped in an ExecutionException), or a
     *                   timeout after two minutes
     */
    public static void run(List<? extends Callable<?>> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (Callable<?> c : work) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return c.call();
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
