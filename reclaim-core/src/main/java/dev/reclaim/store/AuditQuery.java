package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;

import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which audit lines to read, newest first, a page at a time: every condition given must hold.
 *
 * @param taskId lines of this task only, or null
 * @param runId  lines of deletions this Cleanup Service run made, or null
 * @param since  lines written at or after this time, or null
 * @param actor  lines of deletions this actor asked for (a token name, an OS user, {@code cleanup-service},
 *               {@code fsck}), or null
 * @param after  the cursor a previous page ended with ({@link AuditPage#nextCursor()}), or null for the first page
 * @param limit  lines per page, 1..{@value #MAX_LIMIT}
 */
public record AuditQuery(String taskId, String runId, Instant since, String actor, String after, int limit) {
    /** Most lines one page holds. */
    public static final int MAX_LIMIT = 1000;
    private static final Pattern CURSOR = Pattern.compile("(\\d{1,19})\\.(\\d{1,19})");

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidArgumentException("an audit page holds 1.." + MAX_LIMIT + " lines, not " + limit);
        }
        if (after != null) {
            position(after);
        }
    }

    /** The newest {@code limit} lines, of every task, run and actor. */
    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }

    /** This query's next page, after the line {@code cursor} names. */
    public AuditQuery after(String cursor) {
        return new AuditQuery(taskId, runId, since, actor, cursor, limit);
    }

    /** A page's cursor for the line at {@code at} with the row number {@code row}: {@code MILLIS.ROW}. */
    public static String cursor(Instant at, long row) {
        return at.toEpochMilli() + "." + row;
    }

    /**
     * The time (epoch milliseconds) and row number a cursor names.
     *
     * @throws InvalidArgumentException when it is not a cursor an audit page printed
     */
    public static long[] position(String cursor) {
        Matcher m = CURSOR.matcher(cursor);
        if (!m.matches()) {
            throw new InvalidArgumentException("'" + cursor + "' is not an audit cursor; pass the next_cursor a "
                    + "previous page printed, or leave it out for the newest lines");
        }
        try {
            return new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))};
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException("'" + cursor + "' is not an audit cursor; pass the next_cursor a "
                    + "previous page printed");
        }
    }
}
