package dev.reclaim.store;

import java.time.Instant;

/**
 * One line of the audit trail, appended when a deletion finishes.
 *
 * @param at       when it finished
 * @param actor    who asked for it
 * @param action   {@code delete-task}, {@code delete-artifacts}, {@code delete-model}; for holds {@code hold},
 *                 {@code release}, {@code hold-artifact}, {@code release-artifact} (no objects, no bytes)
 * @param taskId   the task
 * @param taskName its name at deletion time
 * @param project  its project at deletion time
 * @param reason   why it was deleted
 * @param objects  stored objects deleted
 * @param bytes    bytes freed
 * @param runId    the Cleanup Service run that deleted it, or null when a person or another process did
 */
public record AuditRecord(Instant at, String actor, String action, String taskId, String taskName, String project,
                          String reason, long objects, long bytes, String runId) {
    /** A line of a deletion no Cleanup Service run made. */
    public AuditRecord(Instant at, String actor, String action, String taskId, String taskName, String project,
                       String reason, long objects, long bytes) {
        this(at, actor, action, taskId, taskName, project, reason, objects, bytes, null);
    }
}
