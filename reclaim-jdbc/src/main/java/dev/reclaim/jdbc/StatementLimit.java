package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.QueryTimeoutException;

import java.math.BigDecimal;
import java.time.Duration;

/** The time limit every statement of a store runs under, and the error that says it was exceeded. */
final class StatementLimit {
    private StatementLimit() {
    }

    /**
     * Checks a configured limit.
     *
     * @throws InvalidArgumentException when it is null, zero, negative or shorter than a millisecond
     */
    static Duration check(Duration limit) {
        if (limit == null || limit.toMillis() < 1) {
            throw new InvalidArgumentException("the query time limit must be at least 1 ms, got " + limit
                    + "; every statement needs a limit, so give a positive number of seconds");
        }
        return limit;
    }

    /** The error for a unit of work stopped at its limit; reads and writes need different advice. */
    static QueryTimeoutException exceeded(Duration limit, boolean readOnly, Throwable cause) {
        String took = " took longer than " + seconds(limit) + " s";
        String message = readOnly
                ? "the query" + took + " and was stopped; narrow the filter (a project, a status, a more specific "
                        + "name pattern) or raise the time limit (query_timeout)"
                : "a database write" + took + " and was stopped, so none of it was saved; try again, or raise the "
                        + "time limit (query_timeout)";
        return new QueryTimeoutException(message, limit, cause);
    }

    /** Seconds without trailing zeros: {@code 30}, {@code 0.5}. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis(), 3).stripTrailingZeros().toPlainString();
    }
}
