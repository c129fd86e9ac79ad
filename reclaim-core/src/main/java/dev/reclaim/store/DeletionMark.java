package dev.reclaim.store;

import java.time.Instant;
import java.util.Objects;

/**
 * Step 2 of the deletion protocol for one task: what to mark, and the condition it relies on.
 *
 * @param taskId             the task
 * @param expectedVersion    the task's version when eligibility was decided; the mark fails with
 *                           {@link MarkResult.Outcome#CHANGED} if the row changed since
 * @param wholeTask          true: the task record goes too; false: only its artifacts (job cancel)
 * @param deleteOutputModels false: output models are detached and kept instead of deleted
 * @param refusePublished    true: refuse if the task has PUBLISHED children or published output models
 * @param reason             why it is deleted, for the audit trail
 * @param actor              who deletes it, for the audit trail
 * @param at                 the time of the mark
 */
public record DeletionMark(String taskId, long expectedVersion, boolean wholeTask, boolean deleteOutputModels,
                           boolean refusePublished, String reason, String actor, Instant at) {
    public DeletionMark {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(at, "at");
    }
}
