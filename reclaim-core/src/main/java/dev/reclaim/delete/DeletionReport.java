package dev.reclaim.delete;

import dev.reclaim.store.MarkResult;

import java.util.List;

/**
 * What deleting one task (or its artifacts) did.
 *
 * @param taskId          the task
 * @param outcome         what happened
 * @param message         for anything but DELETED: why, in words
 * @param objects         stored objects deleted
 * @param bytes           bytes freed
 * @param updatedChildren children re-pointed to the deleted-parent marker
 * @param keptModelIds    output models detached and kept
 * @param deletedModels   output models deleted
 * @param storageKeys     storage keys queued for deletion (the file URLs of docs/rules.md section 3)
 */
public record DeletionReport(String taskId, Outcome outcome, String message, long objects, long bytes,
                             int updatedChildren, List<String> keptModelIds, int deletedModels,
                             List<String> storageKeys) {

    /** Outcome of one deletion. */
    public enum Outcome {
        /** Everything removed. */
        DELETED,
        /** The task changed since it was selected; nothing was done. */
        CHANGED,
        /** No such task. */
        NOT_FOUND,
        /** Refused by a protection (published children or published output models). */
        REFUSED,
        /** Marked, but some objects could not be deleted yet; the deletion stays queued and resumes. */
        INCOMPLETE
    }

    public DeletionReport {
        keptModelIds = List.copyOf(keptModelIds);
        storageKeys = List.copyOf(storageKeys);
    }

    static DeletionReport notMarked(String taskId, MarkResult mark) {
        Outcome o = switch (mark.outcome()) {
            case CHANGED -> Outcome.CHANGED;
            case NOT_FOUND -> Outcome.NOT_FOUND;
            case REFUSED -> Outcome.REFUSED;
            case MARKED -> throw new IllegalArgumentException("marked");
        };
        return new DeletionReport(taskId, o, mark.reason(), 0, 0, 0, List.of(), 0, List.of());
    }
}
