package dev.reclaim.imports;

/** Progress of an import, for a progress bar; called on the importing thread. */
public interface ImportListener {
    /** Hears nothing. */
    ImportListener NONE = new ImportListener() {
    };

    /** The survey (the first listing: tasks, times, totals) has listed {@code objects} objects so far. */
    default void surveyed(long objects) {
    }

    /**
     * A batch was committed: {@code done} of the {@code total} objects the survey found in the layout
     * are handled (registered, found registered already, or refused), {@code registered} of them
     * registered by this import. A listener that throws stops the import after that batch; what
     * was committed stays, and running the import again resumes it.
     */
    default void committed(long done, long total, long registered) {
    }
}
