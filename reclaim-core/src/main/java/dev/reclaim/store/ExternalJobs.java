package dev.reclaim.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Jobs a cluster manager runs ({@link dev.reclaim.jobs.BatchJob}): which monitor submits each, the
 * manager's id for it, and the last state the manager reported, so a monitor that restarts picks its
 * jobs up again and a job keeps its last known state while the manager does not answer. One of the
 * role ports of a {@link TaskStore}; see docs/architecture.md.
 */
public interface ExternalJobs {

    /**
     * The QUEUED jobs of these queues that no monitor has taken for submission yet, oldest first.
     */
    List<String> unsubmitted(Collection<String> queues, int limit);

    /**
     * Moves a QUEUED job the manager started to RUNNING under this monitor's lease, as a worker's
     * claim does: only one claimer's update matches.
     *
     * @return false when the job is no longer QUEUED (canceled, deleted, or claimed already)
     */
    boolean claimStarted(String taskId, String monitorId, Instant now, Instant leaseUntil);

    /**
     * Takes a QUEUED batch job for submission, atomically: only one monitor submits a job.
     *
     * @return false when another monitor took it first, or it is no longer QUEUED
     */
    boolean takeForSubmission(String taskId, String executor, String monitorId, Instant now);

    /** Records the manager's id of a job this monitor submitted. */
    void recordSubmitted(String taskId, String externalId, Instant now);

    /**
     * Gives a job back when its submission failed before the manager accepted it, so it can be
     * submitted again (by any monitor).
     */
    void releaseSubmission(String taskId);

    /** Records the state the manager reported (its own name and reason), when it changed. */
    void recordState(String taskId, String state, String reason, Instant now);

    /** How much of the job's console file has been copied into its console output. */
    void recordConsoleOffset(String taskId, long offset);

    /** The record of one job; empty when it is not a batch job or was never submitted. */
    Optional<ExternalJob> externalJob(String taskId);

    /**
     * The batch jobs of this executor that are not over: submitted or being submitted, their tasks
     * QUEUED or RUNNING; at most {@code limit}, by task id.
     */
    List<ExternalJob> activeExternalJobs(String executor, int limit);

    /**
     * Hands a job whose monitor is gone to another monitor, atomically: the record names the new
     * monitor, and a RUNNING job's lease passes to it (so it is no longer UNDETERMINED).
     *
     * @return false when another monitor adopted it first, or its monitor changed
     */
    boolean adoptExternalJob(String taskId, String fromMonitor, String toMonitor, Instant now, Instant leaseUntil);

    /** Forgets the record of a job whose task ended or was deleted. */
    void forgetExternalJob(String taskId);

    /**
     * One batch job.
     *
     * @param taskId        Reclaim's id
     * @param executor      the executor's name
     * @param monitorId     the monitor that submitted (or is submitting) it
     * @param externalId    the manager's id, null while being submitted
     * @param state         the manager's last reported state, null before the first report
     * @param reason        the manager's last reason, or null
     * @param consoleOffset bytes of the console file already copied
     * @param submittedAt   when it was taken for submission
     * @param updatedAt     when the record last changed
     */
    record ExternalJob(String taskId, String executor, String monitorId, String externalId, String state, String reason,
                       long consoleOffset, Instant submittedAt, Instant updatedAt) {
    }
}
