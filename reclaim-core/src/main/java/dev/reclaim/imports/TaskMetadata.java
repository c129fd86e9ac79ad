package dev.reclaim.imports;

import dev.reclaim.model.TaskStatus;

import java.time.Instant;

/**
 * What a tree's metadata says about a task; every field may be null (unknown).
 *
 * @param name      the task's name
 * @param project   its project
 * @param status    how it ended
 * @param startedAt when it started
 * @param endedAt   when it ended
 * @param deleted   true when the tool that wrote the tree deleted it (an MLflow run in the trash):
 *                  imported archived, so the Cleanup Service may delete it
 */
public record TaskMetadata(String name, String project, TaskStatus status, Instant startedAt, Instant endedAt,
                           boolean deleted) {
    /** Nothing known. */
    public static final TaskMetadata NONE = new TaskMetadata(null, null, null, null, null, false);
}
