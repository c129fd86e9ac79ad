package dev.reclaim.store;

import java.util.List;

/**
 * The audit records of finished deletions, kept for good. One of the role ports of a {@link
 * TaskStore}; see docs/architecture.md.
 */
public interface AuditTrail {

    /** The newest audit records first. */
    List<AuditRecord> audit(int limit);
}
