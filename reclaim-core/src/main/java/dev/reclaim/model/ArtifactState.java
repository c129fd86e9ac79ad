package dev.reclaim.model;

/**
 * Where an artifact record is in the write/delete protocol. Only {@link #LIVE} artifacts count as
 * references that protect a stored object (docs/rules.md section 5, invariant 1).
 */
public enum ArtifactState {
    /** Registered as a pending upload: the object may or may not be in the store yet. */
    PENDING,
    /** Fully written and referenced. */
    LIVE,
    /** Marked for deletion; its object is in (or has left) the pending-delete queue. */
    DELETING
}
