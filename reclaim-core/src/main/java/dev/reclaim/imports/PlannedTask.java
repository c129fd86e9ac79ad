package dev.reclaim.imports;

import dev.reclaim.model.TaskStatus;

import java.time.Instant;

/**
 * A task of an imported tree as a dry run reports it.
 *
 * @param place     where it is in the tree (its key prefix)
 * @param project   the project it gets
 * @param name      the name it gets
 * @param status    the status it gets
 * @param startedAt its start: from the tree's metadata, else its oldest object
 * @param endedAt   its end: from the tree's metadata, else its newest object; null for a draft
 * @param exists    true when an earlier import created it already
 * @param objects   objects that would be registered (not registered yet)
 * @param bytes     their bytes
 */
public record PlannedTask(String place, String project, String name, TaskStatus status, Instant startedAt,
                          Instant endedAt, boolean exists, long objects, long bytes) {
}
