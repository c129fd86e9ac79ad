package dev.reclaim.store;

import java.util.List;
import java.util.Optional;

/**
 * The history of Cleanup Service runs. One of the role ports of a {@link TaskStore}; see
 * docs/architecture.md.
 */
public interface RunHistory {

    /** Appends a Cleanup Service run report to the run history. */
    void insertCleanupRun(CleanupRun run);

    /**
     * The report of the run with this id; empty when there is none. The default reads the history
     * from its start; a database store reads the one row.
     */
    default Optional<CleanupRun> cleanupRun(String runId) {
        return cleanupRuns(Integer.MAX_VALUE).stream().filter(r -> r.id().equals(runId)).findFirst();
    }

    /** The newest run reports first. */
    List<CleanupRun> cleanupRuns(int limit);

    /**
     * The run reports that follow run {@code afterRunId} in newest-first order, at most {@code limit}
     * (a page of the history; null starts from the newest); none when no run has that id. The default
     * reads the history from its start; a database store reads only the page.
     */
    default List<CleanupRun> cleanupRuns(String afterRunId, int limit) {
        if (afterRunId == null) {
            return cleanupRuns(limit);
        }
        List<CleanupRun> all = cleanupRuns(Integer.MAX_VALUE);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(afterRunId)) {
                return all.subList(i + 1, Math.min(all.size(), i + 1 + limit));
            }
        }
        return List.of();
    }
}
