package dev.reclaim;

import java.time.Duration;

/**
 * The store could not take the work on now: every database connection stayed in use for as long as
 * the work may wait, or another process held the database's write lock past the busy timeout.
 * Nothing was changed. The CLI maps it to exit code 1, the HTTP API to 503 with {@code Retry-After}:
 * the same request is likely to succeed a little later.
 */
public class StoreBusyException extends StoreException {
    private final Duration retryAfter;

    public StoreBusyException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long to wait before trying again: about as long as the work holding the store may still run. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
