package dev.reclaim.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Holds: a task or an artifact on hold is deleted by no rule, no Cleanup Service run and no delete
 * without force. A task's hold is its {@link dev.reclaim.model.Task#HOLD} system tag; an
 * artifact's is a record of its own. Each change bumps the task's version, so a deletion decided
 * before it fails its version check, and writes an audit line. One of the role ports of a
 * {@link TaskStore}; see docs/architecture.md.
 */
public interface HoldStore {

    /**
     * Puts a live task on hold, unless it already is.
     *
     * @return the change, or {@link HoldChange.Outcome#NOT_FOUND} when no live task has the id
     */
    HoldChange holdTask(String taskId, String actor, String reason, Instant at);

    /** Takes a live task off hold, unless it is not on hold. */
    HoldChange releaseTask(String taskId, String actor, String reason, Instant at);

    /**
     * Puts a LIVE artifact on hold, unless it already is; its task (if any) gets a new version.
     *
     * @param taskId the task it must belong to, or null for any (a detached model)
     * @return the change, or {@link HoldChange.Outcome#NOT_FOUND} when no LIVE artifact has the id
     *         (of that task, when one is named)
     */
    HoldChange holdArtifact(String taskId, String artifactId, String actor, String reason, Instant at);

    /** Takes an artifact off hold, unless it is not on hold. */
    HoldChange releaseArtifact(String artifactId, String actor, String reason, Instant at);

    /** Which of these artifacts are on hold, by artifact id. */
    Map<String, Hold> artifactHolds(Collection<String> artifactIds);

    /**
     * Every hold, tasks' and artifacts', oldest first, a page at a time.
     *
     * @param after the last hold of the previous page ({@link Hold#position()}), or null for the first
     * @param limit holds per page, 1..1001
     */
    List<Hold> holds(String after, int limit);

    /** What a hold is on. */
    enum Target {
        /** A task, with everything it holds. */
        TASK,
        /** One artifact. */
        ARTIFACT
    }

    /**
     * One hold.
     *
     * @param target what is held
     * @param id     the task's or the artifact's id
     * @param taskId the task held, or the held artifact's task (null for a detached model)
     * @param name   the task's or the artifact's name
     * @param heldAt when it was put on hold
     * @param heldBy who put it on hold
     * @param reason why, as they said
     */
    record Hold(Target target, String id, String taskId, String name, Instant heldAt, String heldBy, String reason) {
        /** Where this hold is in the order holds are listed: for {@link #holds}'s {@code after}. */
        public String position() {
            return String.format("%019d/%s/%s", heldAt.toEpochMilli(), target, id);
        }
    }

    /**
     * What a hold or release did.
     *
     * @param outcome what happened
     * @param taskId  the task whose version changed, or null
     */
    record HoldChange(Outcome outcome, String taskId) {
        /** What happened. */
        public enum Outcome {
            /** Held or released now. */
            CHANGED,
            /** It already was (held, or not held); nothing written. */
            UNCHANGED,
            /** No live task, or no LIVE artifact, with that id. */
            NOT_FOUND
        }
    }
}
