package dev.reclaim.cli;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a long-running command (worker, server) stops cleanly: Ctrl-C or SIGTERM runs a shutdown
 * hook that asks the command's own thread to stop and then waits until the command has closed
 * its stores, so running jobs are requeued before the JVM exits. Tests call {@link #request()}.
 */
final class StopSignal {
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private Thread hook;

    /** Installs the shutdown hook; the hook waits at most {@code closeWait} for the command to close. */
    void install(String name, Duration closeWait) {
        hook = new Thread(() -> {
            request();
            try {
                closed.await(closeWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Removes the hook when the command ends on its own. */
    void uninstall() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and waits for us
        }
    }

    /** Asks the command to stop, as Ctrl-C does. */
    void request() {
        requested.countDown();
    }

    /** Blocks the command's thread until a stop is requested. */
    void await() {
        try {
            requested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command closed its stores; a waiting hook may let the JVM exit. */
    void closed() {
        closed.countDown();
    }
}
