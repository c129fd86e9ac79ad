package dev.reclaim.cleanup;

import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.Leases;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a run's lease: renews it once {@code renewEvery} of the clock's time has passed since the
 * last renewal, both when the run asks ({@link #renewIfDue}, before each mark) and on a timer
 * thread that looks every {@code checkEvery} of real time, so a long page, a slow purge or a wait
 * for pages in flight cannot outlast it. The due time is read from the injected clock: the timer
 * only decides how often to look, so a test that moves a settable clock sees a renewal within one
 * look.
 *
 * <p>Once a renewal is refused (another process holds the lease, or it ran out first) the lease is
 * lost for good: it is never taken back, because another process may have held it meanwhile. A
 * renewal that fails for another reason (the database did not answer) is tried again at the next
 * look; the lease counts as lost once it runs out without one.
 */
final class LeaseKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LeaseKeeper.class);

    private final Leases store;
    private final Clock clock;
    private final String name;
    private final String holder;
    private final Duration leaseTime;
    private final Duration renewEvery;
    private final ScheduledExecutorService timer;
    private Instant renewedAt;
    private Instant expiresAt;
    private String lost;

    /**
     * Starts keeping a lease just taken.
     *
     * @param takenAt    when it was taken; it runs out {@code leaseTime} later unless renewed
     * @param checkEvery how often (real time) the timer looks whether a renewal is due
     */
    LeaseKeeper(Leases store, Clock clock, String name, String holder, Instant takenAt, Duration leaseTime,
                Duration renewEvery, Duration checkEvery) {
        this.store = store;
        this.clock = clock;
        this.name = name;
        this.holder = holder;
        this.leaseTime = leaseTime;
        this.renewEvery = renewEvery;
        this.renewedAt = takenAt;
        this.expiresAt = takenAt.plus(leaseTime);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "reclaim-cleanup-lease");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::renewIfDueQuietly, checkEvery.toMillis(), checkEvery.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /** Renews the lease if a renewal is due; notes the loss if it is refused or the lease ran out. */
    synchronized void renewIfDue() {
        if (lost != null) {
            return;
        }
        Instant now = clock.instant();
        if (!now.isBefore(expiresAt)) {
            lost = "the cleanup lease ran out at " + expiresAt + " before this run could renew it"
                    + holderNow().map(l -> "; " + l.holder() + " holds it now until " + l.expiresAt()).orElse("");
            return;
        }
        if (Duration.between(renewedAt, now).compareTo(renewEvery) < 0) {
            return;
        }
        boolean renewed;
        try {
            renewed = store.renewLease(name, holder, now, now.plus(leaseTime));
        } catch (RuntimeException e) {
            LOG.warn("the cleanup lease could not be renewed ({}); trying again until it runs out at {}", e.getMessage(),
                    expiresAt);
            return;
        }
        if (renewed) {
            renewedAt = now;
            expiresAt = now.plus(leaseTime);
        } else {
            lost = "the cleanup lease was lost before this run renewed it"
                    + holderNow().map(l -> ": " + l.holder() + " holds it until " + l.expiresAt()).orElse(": it ran out");
        }
    }

    /** Notes that a fenced write found the lease lost, with the store's explanation. */
    synchronized void lost(String why) {
        if (lost == null) {
            lost = why;
        }
    }

    /** Why the lease was lost, or null while it is held. */
    synchronized String lostBecause() {
        return lost;
    }

    /** The condition a write of this run relies on, at the clock's time now. */
    LeaseFence fence() {
        return new LeaseFence(name, holder, clock.instant());
    }

    /** Stops the timer; the caller releases the lease. */
    @Override
    public void close() {
        timer.shutdownNow();
    }

    private void renewIfDueQuietly() {
        try {
            renewIfDue();
        } catch (RuntimeException e) {
            LOG.warn("the cleanup lease check failed: {}", e.toString());
        }
    }

    private Optional<LeaseInfo> holderNow() {
        try {
            return store.lease(name);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
