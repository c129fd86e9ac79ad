package dev.reclaim.delete;

/** Told about each object and record as a deletion removes it (what {@code verbose} prints). */
public interface DeletionListener {
    /** Ignores everything. */
    DeletionListener NONE = new DeletionListener() {
    };

    /** A stored object was deleted: it existed, and its bytes are freed. */
    default void objectDeleted(String storageKey, long bytes) {
    }

    /**
     * A queued object was already absent (an upload that never finished, or an earlier attempt
     * removed it): it counts as gone, but nothing was freed and reports do not count it.
     */
    default void objectAbsent(String storageKey) {
    }

    /** A record is gone, described in words, e.g. {@code task 0193... (3 artifact records)}. */
    default void recordDeleted(String description) {
    }
}
