package dev.reclaim.jobs;

import java.time.Duration;

/**
 * In-process wake-ups so nothing in one JVM waits for a poll: submissions wake idle workers, job
 * ends wake waiters. Other processes are reached by polling the store.
 */
public final class LocalSignals {
    private final Object lock = new Object();
    private long submissions;
    private long endings;

    /** Something was queued. */
    public void submitted() {
        synchronized (lock) {
            submissions++;
            lock.notifyAll();
        }
    }

    /** A job changed to an end state (or was canceled or deleted). */
    public void ended() {
        synchronized (lock) {
            endings++;
            lock.notifyAll();
        }
    }

    /** Current submission count; pass to {@link #awaitSubmissionAfter}. */
    public long submissionCount() {
        synchronized (lock) {
            return submissions;
        }
    }

    /** Current ending count; pass to {@link #awaitEndingAfter}. */
    public long endingCount() {
        synchronized (lock) {
            return endings;
        }
    }

    /** Waits until a submission after {@code seen}, or {@code max}. */
    public void awaitSubmissionAfter(long seen, Duration max) throws InterruptedException {
        await(seen, max, true);
    }

    /** Waits until an ending after {@code seen}, or {@code max}. */
    public void awaitEndingAfter(long seen, Duration max) throws InterruptedException {
        await(seen, max, false);
    }

    private void await(long seen, Duration max, boolean submission) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while ((submission ? submissions : endings) == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                lock.wait(Math.max(1, left / 1_000_000), 0);
            }
        }
    }
}
