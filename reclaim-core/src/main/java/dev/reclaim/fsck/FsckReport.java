package dev.reclaim.fsck;

import java.util.List;

/**
 * What {@link Fsck} found (and, with repair, fixed).
 *
 * @param objectsScanned   objects listed in the artifact store
 * @param recordsScanned   LIVE artifact records checked
 * @param orphans          objects no record or queue entry names (semantics.md invariant 3), first 1,000
 * @param orphanCount      how many orphans in all
 * @param dangling         LIVE artifact ids whose object is missing (invariant 2), first 1,000
 * @param danglingCount    how many dangling records in all
 * @param stuckDeletions   tasks whose deletion started and has not finished (invariant 4), first 1,000
 * @param failingQueue     queue entries that failed at least once, with their last error, first 1,000
 * @param repaired         true when the problems found were repaired
 * @param integrityProblems damage the task store found in its own database (SQLite's quick_check); when
 *                         there is any, nothing else was checked or repaired
 */
public record FsckReport(long objectsScanned, long recordsScanned, List<String> orphans, long orphanCount,
                         List<String> dangling, long danglingCount, List<String> stuckDeletions, List<String> failingQueue,
                         boolean repaired, List<String> integrityProblems) {
    /** Items listed per kind. */
    public static final int LISTED = 1000;

    public FsckReport {
        orphans = List.copyOf(orphans);
        dangling = List.copyOf(dangling);
        stuckDeletions = List.copyOf(stuckDeletions);
        failingQueue = List.copyOf(failingQueue);
        integrityProblems = List.copyOf(integrityProblems);
    }

    /** True when nothing is wrong. */
    public boolean consistent() {
        return orphanCount == 0 && danglingCount == 0 && stuckDeletions.isEmpty() && failingQueue.isEmpty()
                && integrityProblems.isEmpty();
    }
}
