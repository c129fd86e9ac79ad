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
 * @param refuseHeld         true: refuse if the task, or an artifact the mark takes, is on hold; false (a
 *                           delete with force): the holds of what the mark takes are released with it
 */
public record DeletionMark(String taskId, long expectedVersion, boolean wholeTask, boolean deleteOutputModels,
                           boolean refusePublished, String reason, String actor, Instant at, Set<String> artifactIds,
                           String runId, boolean refuseHeld) {
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

    /**
     * An artifacts-only mark of some of a task's artifacts, the task staying, that Reclaim makes on
     * its own: uploads that never finished, outputs of a job that ended while they were written. It
     * takes no notice of holds: what it removes was never stored for good.
     */
    public static DeletionMark artifacts(String taskId, long expectedVersion, Set<String> artifactIds, String reason,
                                         String actor, Instant at) {
        return new DeletionMark(taskId, expectedVersion, false, true, false, reason, actor, at,
                Objects.requireNonNull(artifactIds, "artifactIds"), null, false);
    }

    /**
     * A mark of some of a task's artifacts that a person or a rule deletes; the task stays. Holds are
     * refused and protected models kept unless the builder says otherwise.
     */
    public static Builder someArtifacts(String taskId, long expectedVersion, Set<String> artifactIds) {
        Builder b = new Builder(taskId, expectedVersion, false);
        b.artifactIds = Set.copyOf(Objects.requireNonNull(artifactIds, "artifactIds"));
        return b;
    }

    /** Names the choices of a mark, so a call site reads without this record's declaration. */
    public static final class Builder {
        private final String taskId;
        private final long expectedVersion;
        private final boolean wholeTask;
        private boolean deleteOutputModels = true;
        private boolean refusePublished;
        private boolean refuseHeld = true;
        private String runId;
        private Set<String> artifactIds;

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

        /**
         * True refuses the mark when the task has published children or published output models; for
         * {@link #someArtifacts}, when one of the artifacts is a published model or an input of another
         * live task (false unless set: such models are then kept, detached from the task).
         */
        public Builder refusingPublished(boolean v) {
            refusePublished = v;
            return this;
        }

        /**
         * True (unless set) refuses the mark when the task or an artifact it takes is on hold; false,
         * for a delete with force, releases those holds in the mark's transaction, audited.
         */
        public Builder refusingHeld(boolean v) {
            refuseHeld = v;
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
                    at, artifactIds, runId, refuseHeld);
        }
    }
}
