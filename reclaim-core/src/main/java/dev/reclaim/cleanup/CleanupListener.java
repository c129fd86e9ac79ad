package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;

/** Told about a run's progress (progress bars, log lines, metrics). */
public interface CleanupListener {
    /** Ignores everything. */
    CleanupListener NONE = new CleanupListener() {
    };

    /** A page of candidates was selected. */
    default void candidatesSelected(int count) {
    }

    /** One task was dealt with. */
    default void taskDone(CleanupRun.Item item) {
    }
}
