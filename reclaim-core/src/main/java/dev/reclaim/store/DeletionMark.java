package dev.reclaim.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

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
 * @param artifactIds        with {@code wholeTask} false: only these of the task's LIVE or PENDING
 *                           artifacts (a superseded artifact, abandoned uploads); null for all of them
 * @param runId              the Cleanup Service run that deletes it, for the audit trail; null otherwise
 */
public record DeletionMark(String taskId, long expectedVersion, boolean wholeTask, boolean deleteOutputModels,
                           boolean refusePublished, String reason, String actor, Instant at, Set<String> artifactIds,
                           String runId) {
    public DeletionMark {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(at, "at");
        if (artifactIds != null) {
            if (wholeTask) {
                throw new IllegalArgumentException("a whole-task mark takes every artifact; name artifacts only in an "
                        + "artifacts-only mark");
            }
            artifactIds = Set.copyOf(artifactIds);
        }
    }

    /**
     * A mark of the whole task, its record included; its output models are deleted and a published
     * task is not refused unless the builder says otherwise.
     */
    public static Builder wholeTask(String taskId, long expectedVersion) {
        return new Builder(taskId, expectedVersion, true);
    }

    /** A mark of every artifact of the task; the task record stays (a canceled job). */
    public static Builder allArtifacts(String taskId, long expectedVersion) {
        return new Builder(taskId, expectedVersion, false);
    }

    /** An artifacts-only mark of some of a task's artifacts; the task stays. */
    public static DeletionMark artifacts(String taskId, long expectedVersion, Set<String> artifactIds, String reason,
                                         String actor, Instant at) {
        return new DeletionMark(taskId, expectedVersion, false, true, false, reason, actor, at,
                Objects.requireNonNull(artifactIds, "artifactIds"), null);
    }

    /** Names the choices of a mark, so a call site reads without this record's declaration. */
    public static final class Builder {
        private final String taskId;
        private final long expectedVersion;
        private final boolean wholeTask;
        private boolean deleteOutputModels = true;
        private boolean refusePublished;
        private String runId;

        private Builder(String taskId, long expectedVersion, boolean wholeTask) {
            this.taskId = taskId;
            this.expectedVersion = expectedVersion;
            this.wholeTask = wholeTask;
        }

        /** False keeps the task's output models: they are detached and stay (true unless set). */
        public Builder deletingOutputModels(boolean v) {
            deleteOutputModels = v;
            return this;
        }

        /** True refuses the mark when the task has published children or published output models (false unless set). */
        public Builder refusingPublished(boolean v) {
            refusePublished = v;
            return this;
        }

        /** The Cleanup Service run that deletes the task, recorded in its audit line (none unless set). */
        public Builder inRun(String id) {
            runId = id;
            return this;
        }

        /** The mark, with why, by whom and when, for the audit trail. */
        public DeletionMark because(String reason, String actor, Instant at) {
            return new DeletionMark(taskId, expectedVersion, wholeTask, deleteOutputModels, refusePublished, reason, actor,
                    at, null, runId);
        }
    }
}
