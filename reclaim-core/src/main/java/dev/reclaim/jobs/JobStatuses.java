package dev.reclaim.jobs;

import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;

/** Derives the job API's status from a task record (docs/rules.md section 2). */
final class JobStatuses {
    private JobStatuses() {
    }

    /**
     * @param task          the record, or null when there is none
     * @param now           the current time
     * @param queueIsServed whether a live worker serves a queue (a QUEUED job on a private queue
     *                      nobody serves any more can never run)
     */
    static JobStatus of(Task task, Instant now, Predicate<String> queueIsServed) {
        if (task == null || !task.isLive()) {
            return JobStatus.MISSING;
        }
        return switch (task.status()) {
            case CREATED -> JobStatus.UNDETERMINED;
            case QUEUED -> task.queue() != null && task.queue().startsWith("local-") && !queueIsServed.test(task.queue())
                    ? JobStatus.UNDETERMINED : JobStatus.QUEUED;
            case RUNNING -> task.leaseExpiresAt() != null && now.isAfter(task.leaseExpiresAt())
                    ? JobStatus.UNDETERMINED : JobStatus.RUNNING;
            case COMPLETED, PUBLISHED -> JobStatus.FINISHED;
            case FAILED -> JobStatus.FAILED;
            case CANCELED -> JobStatus.CANCELED;
        };
    }

    /** Task statuses that can show as {@code state}. */
    static Set<TaskStatus> taskStatusesFor(JobStatus state) {
        return switch (state) {
            case QUEUED -> EnumSet.of(TaskStatus.QUEUED);
            case RUNNING -> EnumSet.of(TaskStatus.RUNNING);
            case FINISHED -> EnumSet.of(TaskStatus.COMPLETED, TaskStatus.PUBLISHED);
            case FAILED -> EnumSet.of(TaskStatus.FAILED);
            case CANCELED -> EnumSet.of(TaskStatus.CANCELED);
            case UNDETERMINED -> EnumSet.of(TaskStatus.CREATED, TaskStatus.QUEUED, TaskStatus.RUNNING);
            case MISSING -> EnumSet.noneOf(TaskStatus.class);
        };
    }
}
