package dev.reclaim.store;

import java.util.List;

/**
 * One page of audit lines, newest first.
 *
 * @param items      the lines
 * @param nextCursor where the next page starts ({@link AuditQuery#after(String)}), or null when this is the last
 */
public record AuditPage(List<AuditRecord> items, String nextCursor) {
    public AuditPage {
        items = List.copyOf(items);
    }
}
