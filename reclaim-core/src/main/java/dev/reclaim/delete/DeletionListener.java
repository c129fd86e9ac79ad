package dev.reclaim.delete;

/** Told about each object and record as a deletion removes it (what {@code verbose} prints). */
public interface DeletionListener {
    /** Ignores everything. */
    DeletionListener NONE = new DeletionListener() {
    };

    /** A stored object is gone (deleted now, or found already absent). */
    default void objectDeleted(String storageKey, long bytes) {
    }

    /** A record is gone, described in words, e.g. {@code task 0193... (3 artifact records)}. */
    default void recordDeleted(String description) {
    }
}
