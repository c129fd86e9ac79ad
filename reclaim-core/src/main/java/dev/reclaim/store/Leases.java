package dev.reclaim.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Named leases: one holder at a time, until a time. One of the role ports of a {@link TaskStore}; see
 * docs/architecture.md.
 */
public interface Leases {

    /**
     * Takes or renews a named lease if it is free, expired, or already held by {@code holder}.
     *
     * @return true when {@code holder} now holds it until {@code until}
     */
    default boolean tryAcquireLease(String name, String holder, Instant now, Instant until) {
        return tryAcquireLease(name, holder, null, now, until);
    }

    /**
     * {@link #tryAcquireLease(String, String, Instant, Instant)}, recording the holder's process, so
     * another process on the same host can take the lease over at once once that process is gone
     * ({@link #takeOverLease}).
     *
     * @param process the holder's process; null to record none
     */
    boolean tryAcquireLease(String name, String holder, ProcessIdentity process, Instant now, Instant until);

    /**
     * Takes over a named lease that has not run out, if {@code expectedHolder} still holds it: for a
     * holder whose process is known to be gone.
     *
     * @return true when {@code holder} now holds it until {@code until}
     */
    boolean takeOverLease(String name, String expectedHolder, String holder, ProcessIdentity process, Instant until);

    /**
     * Extends a named lease that {@code holder} holds and that has not run out at {@code now}.
     * Unlike {@link #tryAcquireLease} it never takes a lease back once it ran out: another process
     * may have held it meanwhile, so the holder must treat it as lost.
     *
     * @return true when {@code holder} now holds it until {@code until}; false when it was lost
     */
    boolean renewLease(String name, String holder, Instant now, Instant until);

    /** Releases a named lease if {@code holder} holds it. */
    void releaseLease(String name, String holder);

    /** The current holder of a lease and its expiry, if any holder is recorded. */
    Optional<LeaseInfo> lease(String name);
}
