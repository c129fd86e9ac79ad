package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupRun;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.delete.Sleeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/**
 * The Cleanup Service running on its period on a background thread of the server. Stopping asks
 * the service to stop after its current batch and waits for the thread, so a shutdown never cuts
 * a batch in half (an interrupted one would resume on the next run anyway).
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

    synchronized void stop() {
        if (thread == null) {
            return;
        }
        reclaim.cleanup().requestStop();
        try {
            thread.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    synchronized boolean running() {
        return thread != null && thread.isAlive();
    }
}
