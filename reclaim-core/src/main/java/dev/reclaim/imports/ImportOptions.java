package dev.reclaim.imports;

import java.util.Objects;

/**
 * How to import a tree.
 *
 * @param layout    how its keys map onto tasks and artifacts
 * @param project   the project of every imported task, whatever the layout says; null to take the layout's
 * @param archived  true to archive the tasks an import creates (their retention clock starts at the import)
 * @param batchSize objects registered per transaction, 1..10,000
 */
public record ImportOptions(Layout layout, String project, boolean archived, int batchSize) {
    /** Objects per transaction unless told otherwise. */
    public static final int DEFAULT_BATCH = 5000;

    public ImportOptions {
        Objects.requireNonNull(layout, "layout");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be 1..10000, was " + batchSize);
        }
    }

    /** The defaults for {@code layout}: the layout's projects, not archived, {@link #DEFAULT_BATCH}. */
    public static ImportOptions of(Layout layout) {
        return new ImportOptions(layout, null, false, DEFAULT_BATCH);
    }

    /** A copy with every task in {@code p} (null: the layout's). */
    public ImportOptions withProject(String p) {
        return new ImportOptions(layout, p, archived, batchSize);
    }

    /** A copy that archives the tasks it creates, or not. */
    public ImportOptions withArchived(boolean a) {
        return new ImportOptions(layout, project, a, batchSize);
    }

    /** A copy registering {@code n} objects per transaction. */
    public ImportOptions withBatchSize(int n) {
        return new ImportOptions(layout, project, archived, n);
    }
}
