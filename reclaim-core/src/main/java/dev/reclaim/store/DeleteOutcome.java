package dev.reclaim.store;

/**
 * The outcome of deleting one key in a batch.
 *
 * @param key     the key
 * @param status  what happened
 * @param error   for FAILED: why, in words
 */
public record DeleteOutcome(String key, Status status, String error) {
    /** Per-key status of a batch delete. */
    public enum Status {
        /** The object existed and was deleted. */
        DELETED,
        /** There was no object: counts as deleted. */
        ABSENT,
        /** Could not be deleted; retry later. */
        FAILED
    }

    /** True for DELETED and ABSENT: the object is gone. */
    public boolean gone() {
        return status != Status.FAILED;
    }
}
