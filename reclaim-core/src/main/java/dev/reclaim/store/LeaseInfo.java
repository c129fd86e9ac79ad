package dev.reclaim.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Who holds a named lease.
 *
 * @param name          lease name
 * @param holder        holder id
 * @param expiresAt     when it runs out unless renewed
 * @param holderProcess the holder's process as stored ({@link ProcessIdentity#encode}), or null when the holder did
 *                      not say
 */
public record LeaseInfo(String name, String holder, Instant expiresAt, String holderProcess) {
    /** A lease whose holder did not say which process it is. */
    public LeaseInfo(String name, String holder, Instant expiresAt) {
        this(name, holder, expiresAt, null);
    }

    /** The holder's process, when the lease names one in a readable form. */
    public Optional<ProcessIdentity> process() {
        return ProcessIdentity.parse(holderProcess);
    }
}
