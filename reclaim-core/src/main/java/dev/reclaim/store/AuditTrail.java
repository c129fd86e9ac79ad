package dev.reclaim.store;

import java.util.List;

/**
 * The audit records of finished deletions, kept for good. One of the role ports of a {@link
 * TaskStore}; see docs/architecture.md.
 */
public interface AuditTrail {

    /** The newest audit records first. */
    default List<AuditRecord> audit(int limit) {
        return audit(AuditQuery.newest(Math.max(1, Math.min(limit, AuditQuery.MAX_LIMIT)))).items();
    }

    /**
     * A page of the audit lines the query selects, newest first (by time, then by the order they were
     * written), and where the next page starts. Pages are read by position, not offset, so a page
     * costs the same however deep it is, and lines written meanwhile do not shift later pages.
     */
    AuditPage audit(AuditQuery query);
}
