package dev.reclaim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap figure benches report: the most heap in use at any moment, sampled every 20 ms by a
 * daemon thread from the first call on. (Summing each pool's own peak overstates it: eden and
 * the old generation peak at different moments, and the sum can exceed -Xmx.)
 */
final class Heap {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static volatile long peak;

    static {
        Thread sampler = new Thread(() -> {
            while (true) {
                peak = Math.max(peak, MEMORY.getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "heap-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    private Heap() {
    }

    /** Starts sampling (benches call it first thing). */
    static void start() {
        peak = Math.max(peak, MEMORY.getHeapMemoryUsage().getUsed());
    }

    /** The most heap in use at any sampled moment so far, in MB. */
    static long peakUsedMb() {
        return Math.max(peak, MEMORY.getHeapMemoryUsage().getUsed()) >> 20;
    }
}
