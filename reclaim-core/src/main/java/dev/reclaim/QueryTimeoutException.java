package dev.reclaim;

import java.time.Duration;

/**
 * A database statement ran longer than the store's time limit and was stopped; nothing it would
 * have written was committed. The CLI maps it to exit code 1, the HTTP API to 503: the request was
 * valid, but answering it costs more than the limit allows.
 */
public class QueryTimeoutException extends StoreException {
    private final Duration limit;

    public QueryTimeoutException(String message, Duration limit, Throwable cause) {
        super(message, cause);
        this.limit = limit;
    }

    /** The limit the statement exceeded. */
    public Duration limit() {
        return limit;
    }
}
