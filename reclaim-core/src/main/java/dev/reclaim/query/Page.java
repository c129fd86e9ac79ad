package dev.reclaim.query;

import java.util.List;

/**
 * One page of results.
 *
 * @param items      the rows, in query order
 * @param nextCursor pass to the next query to continue after the last row; null when no more rows
 * @param <T>        row type
 */
public record Page<T>(List<T> items, String nextCursor) {
    public Page {
        items = List.copyOf(items);
    }
}
