package dev.reclaim.fsck;

import dev.reclaim.store.ResumedDeletions;

import java.util.List;

/**
 * What {@link Fsck} found (and, with repair, fixed).
 *
 * @param objectsScanned   objects listed in the artifact store
 * @param recordsScanned   LIVE artifact records checked
 * @param orphans          objects no record or queue entry names (docs/rules.md invariant 3), first 1,000
 * @param orphanCount      how many orphans in all
 * @param dangling         LIVE artifact ids whose object is missing (invariant 2), first 1,000
 * @param danglingCount    how many dangling records in all
 * @param stuckDeletions   tasks whose deletion started and has not finished (invariant 4), first 1,000
 * @param failingQueue     queue entries that failed at least once, with their last error, first 1,000
 * @param repaired         true when the problems found were repaired
 * @param unmanaged        objects outside Reclaim's key namespace that no record names: someone else's, reported and
 *                         never deleted unless a person names them (invariant 7), first 1,000
 * @param unmanagedCount   how many unmanaged objects in all
 * @param detachedModels   models detached from their deleted task that no live task uses: those
 *                         kept for users that are gone are a problem, published ones and ones kept
 *                         on request are listed only
 * @param stuckWhy         for each of {@code stuckDeletions}, in order: who holds it and until when, or why nothing
 *                         does, and when it will be finished
 * @param resumed          with repair: the stuck deletions the repair finished, and what they freed
 * @param writes           stored bytes that are not the recorded ones, and leftovers of abandoned uploads
 * @param integrityProblems damage the task store found in its own database (SQLite's quick_check); when
 *                         there is any, nothing else was checked or repaired
 * @param unchecked        LIVE artifacts whose object could not be checked because the artifact store failed to
 *                         answer (I/O error, permission denied, unreachable endpoint, missing bucket), with why, first
 *                         1,000: never called dangling, never repaired (invariant 2)
 * @param uncheckedCount   how many in all
 * @param storeProblems    what the artifact store failed to do for fsck as a whole (list its objects, look for
 *                         interrupted writes), so that part of the check is incomplete
 * @param strandedDeletions queue entries of no task (orphans a repair queued, objects a person named) whose claim is
 *                         held by a process known to be gone, with who held them: nothing finishes them before the
 *                         claim runs out, except a repair, which takes them over at once
 * @param usageProblems    storage usage totals (what {@code reclaim du} reads) that differ from a recount of the
 *                         artifact records, first 1,000; a repair rebuilds them
 */
public record FsckReport(long objectsScanned, long recordsScanned, List<String> orphans, long orphanCount,
                         List<String> dangling, long danglingCount, List<String> stuckDeletions, List<String> failingQueue,
                         boolean repaired, List<String> unmanaged, long unmanagedCount, DetachedModelsFound detachedModels,
                         List<String> stuckWhy, ResumedDeletions resumed, WriteFindings writes,
                         List<String> integrityProblems, List<String> unchecked, long uncheckedCount,
                         List<String> storeProblems, List<String> strandedDeletions, List<String> usageProblems) {
    /** Items listed per kind. */
    public static final int LISTED = 1000;

    public FsckReport {
        orphans = List.copyOf(orphans);
        dangling = List.copyOf(dangling);
        stuckDeletions = List.copyOf(stuckDeletions);
        failingQueue = List.copyOf(failingQueue);
        unmanaged = List.copyOf(unmanaged);
        detachedModels = detachedModels == null ? DetachedModelsFound.NONE : detachedModels;
        stuckWhy = List.copyOf(stuckWhy);
        resumed = resumed == null ? ResumedDeletions.NONE : resumed;
        writes = writes == null ? WriteFindings.NONE : writes;
        integrityProblems = List.copyOf(integrityProblems);
        unchecked = unchecked == null ? List.of() : List.copyOf(unchecked);
        storeProblems = storeProblems == null ? List.of() : List.copyOf(storeProblems);
        strandedDeletions = strandedDeletions == null ? List.of() : List.copyOf(strandedDeletions);
        usageProblems = usageProblems == null ? List.of() : List.copyOf(usageProblems);
    }

    /** The report on a task store found damaged: nothing else was checked. */
    static FsckReport damaged(List<String> problems) {
        return new FsckReport(0, 0, List.of(), 0, List.of(), 0, List.of(), List.of(), false, List.of(), 0, null, List.of(),
                null, null, problems, null, 0, null, null, null);
    }

    /** This report (a look after a repair) marked as repaired, with what the repair finished of stuck deletions. */
    FsckReport repairedWith(ResumedDeletions finished) {
        return new FsckReport(objectsScanned, recordsScanned, orphans, orphanCount, dangling, danglingCount, stuckDeletions,
                failingQueue, true, unmanaged, unmanagedCount, detachedModels, stuckWhy, finished, writes, integrityProblems,
                unchecked, uncheckedCount, storeProblems, strandedDeletions, usageProblems);
    }

    /**
     * True when nothing is wrong. Unmanaged objects are not Reclaim's, so they are no inconsistency of its own;
     * what could not be checked is not known to be right, so it is.
     */
    public boolean consistent() {
        return orphanCount == 0 && danglingCount == 0 && stuckDeletions.isEmpty() && failingQueue.isEmpty()
                && detachedModels.unusedCount() == 0 && writes.consistent() && integrityProblems.isEmpty()
                && uncheckedCount == 0 && storeProblems.isEmpty() && strandedDeletions.isEmpty() && usageProblems.isEmpty();
    }
}
