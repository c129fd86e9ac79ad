package dev.reclaim.cleanup;

import dev.reclaim.store.CleanupRun;

/** Told about a run's progress (progress bars, log lines, metrics). */
public interface CleanupListener {
    /** Ignores everything. */
    CleanupListener NONE = new CleanupListener() {
    };

    /**
     * The run holds the cleanup lease, finished what earlier runs left unfinished, and starts
     * selecting candidates under this id (the id of its report).
     */
    default void runStarted(String runId) {
    }

    /** A page of candidates was selected. */
    default void candidatesSelected(int count) {
    }

    /** One task was dealt with. */
    default void taskDone(CleanupRun.Item item) {
    }

    /**
     * Every candidate was dealt with (or the run stopped early); the run now tidies up and records
     * its report, which the caller gets when that is done.
     */
    default void passEnded() {
    }
}
