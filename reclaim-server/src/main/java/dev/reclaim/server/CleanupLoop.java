package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.delete.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The Cleanup Service running on its period on a background thread of the server. Stopping asks
 * the service to stop after its current batch and waits for the thread within the server's
 * shutdown grace; a batch that outlasts it is cut off with the process and resumes on the next run.
 */
final class CleanupLoop {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupLoop.class);

    private final Reclaim reclaim;
    private final CleanupSettingsSource settings;
    private Thread thread;

    CleanupLoop(Reclaim reclaim, CleanupSettingsSource settings) {
        this.reclaim = reclaim;
        this.settings = settings;
    }

    synchronized void start() {
        reclaim.cleanup().clearStop();
        // Settings are read once per start: the service's period and policy stay fixed while it runs.
        var s = settings.get().toBuilder().runAsService(true).build();
        thread = new Thread(() -> reclaim.cleanup().runAsService(s, settings.serviceTaskId(), CleanupListener.NONE,
                Sleeper.REAL, new CleanupService.ServiceObserver() {
                    @Override
                    public void ran(CleanupRun run, Instant next) {
                        LOG.info("cleanup run {}: {} deleted, {} skipped, {} failed, {} bytes freed; next at {}", run.id(),
                                run.deleted(), run.skipped(), run.failed(), run.bytes(), next);
                    }

                    @Override
                    public void busy(CleanupBusyException e, Instant next) {
                        LOG.info("{}; next try at {}", e.getMessage(), next);
                    }

                    @Override
                    public void failed(RuntimeException e, Instant next) {
                        LOG.warn("cleanup run failed; next try at {}", next, e);
                    }
                }), "reclaim-cleanup-service");
        thread.setDaemon(true);
        thread.start();
        LOG.info("Cleanup Service started: every {} day(s), threshold {} day(s){}", s.cleanupPeriodInDays(),
                s.deleteThresholdDays(), s.dryRun() ? ", dry run" : "");
    }

    /** Asks the service to stop after its current batch; returns at once. */
    synchronized void requestStop() {
        if (thread != null) {
            reclaim.cleanup().requestStop();
        }
    }

    /**
     * Waits at most {@code nanos} for the service to stop. A batch still running then is left to the
     * process's end: the deletion protocol resumes it on the next run, as after a crash.
     *
     * @return true when it stopped (or never ran)
     */
    boolean awaitStop(long nanos) {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t == null) {
            return true;
        }
        try {
            t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (!t.isAlive() && thread == t) {
                thread = null;
            }
            return !t.isAlive();
        }
    }

    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }
}
