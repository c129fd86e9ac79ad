package dev.reclaim.cleanup;

import dev.reclaim.ReclaimException;

import java.time.Instant;

/** Another process holds the cleanup lease: only one run at a time across all processes sharing a store. */
public final class CleanupBusyException extends ReclaimException {
    private final String holder;
    private final Instant until;

    public CleanupBusyException(String holder, Instant until) {
        super("another cleanup run is in progress (held by " + holder + " until " + until
                + "); wait for it to finish, or run again after that time");
        this.holder = holder;
        this.until = until;
    }

    /** Who holds the lease. */
    public String holder() {
        return holder;
    }

    /** When the holder's lease runs out unless renewed. */
    public Instant until() {
        return until;
    }
}
