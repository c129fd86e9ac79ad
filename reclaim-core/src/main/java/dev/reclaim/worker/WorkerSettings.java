package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;

import java.time.Duration;
import java.util.Set;

/**
 * How a worker pool runs. Validated on construction: a bad value is an error, never replaced.
 *
 * @param slots             jobs run at once (1..256)
 * @param queues            queues served; not empty
 * @param heartbeatInterval how often the worker renews its registration and its jobs' leases
 * @param leaseTimeout      a RUNNING job whose lease is older than this shows UNDETERMINED;
 *                          must exceed twice the heartbeat interval
 * @param pollInterval      how often the store is polled for jobs submitted by other processes
 * @param shutdownGrace     on stop, how long running jobs may finish before they are stopped and requeued
 */
public record WorkerSettings(int slots, Set<String> queues, Duration heartbeatInterval, Duration leaseTimeout,
                             Duration pollInterval, Duration shutdownGrace) {
    /** Default {@link #slots}. */
    public static final int DEFAULT_SLOTS = 2;
    /** Default {@link #heartbeatInterval}. */
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(5);
    /** Default {@link #leaseTimeout}. */
    public static final Duration DEFAULT_LEASE_TIMEOUT = Duration.ofSeconds(30);
    /** Default {@link #pollInterval}. */
    public static final Duration DEFAULT_POLL = Duration.ofMillis(500);
    /** Default {@link #shutdownGrace}. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

    public WorkerSettings {
        if (slots < 1 || slots > 256) {
            throw new InvalidArgumentException("worker slots must be between 1 and 256, got " + slots);
        }
        if (queues == null || queues.isEmpty()) {
            throw new InvalidArgumentException("a worker needs at least one queue to serve");
        }
        queues = Set.copyOf(queues);
        positive("heartbeat interval", heartbeatInterval);
        positive("lease timeout", leaseTimeout);
        positive("poll interval", pollInterval);
        if (shutdownGrace == null || shutdownGrace.isNegative()) {
            throw new InvalidArgumentException("shutdown grace must be zero or positive, got " + shutdownGrace);
        }
        if (leaseTimeout.compareTo(heartbeatInterval.multipliedBy(2)) <= 0) {
            throw new InvalidArgumentException("lease timeout (" + leaseTimeout + ") must be more than twice the heartbeat interval ("
                    + heartbeatInterval + "), or a live worker's jobs would look undetermined");
        }
    }

    /** Defaults serving the given queues. */
    public static WorkerSettings defaults(Set<String> queues) {
        return new WorkerSettings(DEFAULT_SLOTS, queues, DEFAULT_HEARTBEAT, DEFAULT_LEASE_TIMEOUT, DEFAULT_POLL,
                DEFAULT_SHUTDOWN_GRACE);
    }

    /** A copy with another slot count. */
    public WorkerSettings withSlots(int n) {
        return new WorkerSettings(n, queues, heartbeatInterval, leaseTimeout, pollInterval, shutdownGrace);
    }

    /** A copy serving other queues. */
    public WorkerSettings withQueues(Set<String> q) {
        return new WorkerSettings(slots, q, heartbeatInterval, leaseTimeout, pollInterval, shutdownGrace);
    }

    /** A copy with other heartbeat and lease timings. */
    public WorkerSettings withTimings(Duration heartbeat, Duration lease) {
        return new WorkerSettings(slots, queues, heartbeat, lease, pollInterval, shutdownGrace);
    }

    private static void positive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new InvalidArgumentException(what + " must be a positive duration, got " + d);
        }
    }
}
