package dev.reclaim.jobs;

/**
 * A submitted job.
 *
 * @param id    the job's (task's) id
 * @param name  its name
 * @param queue the queue it was put on
 */
public record JobHandle(String id, String name, String queue) {
}
