package dev.reclaim.jobs;

import dev.reclaim.model.JobStatus;

import java.time.Instant;

/**
 * A job as {@link Jobs#list} reports it.
 *
 * @param id         job id
 * @param name       job name
 * @param project    project
 * @param queue      queue
 * @param status     job status
 * @param createdAt  submission time
 * @param modifiedAt last change
 * @param endedAt    when it ended, or null
 */
public record JobInfo(String id, String name, String project, String queue, JobStatus status, Instant createdAt,
                      Instant modifiedAt, Instant endedAt) {
}
