package dev.reclaim.store;

import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The queue of jobs: claiming, lease renewal, ending, console output. One of the role ports of a
 * {@link TaskStore}; see docs/architecture.md.
 */
public interface JobQueue {

    /**
     * Atomically claims the oldest QUEUED task (by id) on one of {@code queues}: sets it RUNNING,
     * records the worker, startedAt, statusChangedAt and the lease. Two workers never claim the same task.
     */
    Optional<Task> claimNext(Collection<String> queues, String workerId, Instant now, Instant leaseUntil);

    /**
     * Atomically claims up to {@code max} of the oldest QUEUED tasks (by id) on {@code queues}, in one
     * transaction, each as {@link #claimNext} claims one. Two workers never claim the same task.
     *
     * @param max most tasks to claim; a worker asks for no more than it has free slots, so no claimed
     *            job waits behind another while a slot is free
     * @return the claimed tasks as stored now, oldest first; empty when none is queued (or {@code max} is below 1)
     */
    List<Task> claimBatch(Collection<String> queues, String workerId, Instant now, Instant leaseUntil, int max);

    /**
     * Extends the lease of those of {@code taskIds} that are still RUNNING under {@code workerId}.
     *
     * @return the ids whose lease was extended; the others were canceled, deleted or taken over
     */
    Set<String> renewLeases(String workerId, Collection<String> taskIds, Instant leaseUntil);

    /**
     * Ends a job in one transaction, if it is still RUNNING under {@code workerId}: sets the final
     * status, endedAt, exit code and error, clears the lease, and moves the given PENDING artifacts
     * of the task to LIVE.
     *
     * @return false when the condition failed (canceled or taken over); nothing was changed
     */
    boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                      Collection<String> pendingArtifactIds, Instant now);

    /**
     * {@link #finishJob(String, String, TaskStatus, Integer, String, Collection, Instant)}, recording
     * for each PENDING artifact made LIVE what was stored: its size and checksum.
     *
     * @param stored the PENDING artifacts to make LIVE, by id
     */
    boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                      Map<String, StoredObject> stored, Instant now);

    /**
     * {@link #finishJob(String, String, TaskStatus, Integer, String, Map, Instant)}, also merging
     * numeric metrics into artifacts it makes LIVE, in the same transaction: whoever sees the job
     * ended sees its outputs' metrics too (a job reports them in side files, docs/jobs.md).
     *
     * @param metrics metrics by the id of an artifact of {@code stored} (names and values already
     *                checked, {@link dev.reclaim.model.Names#checkMetrics}); may be empty
     */
    boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                      Map<String, StoredObject> stored, Map<String, Map<String, Double>> metrics, Instant now);

    /**
     * Appends a chunk of console output to a task.
     *
     * @throws dev.reclaim.TaskNotFoundException when the task does not exist (any more): a job whose
     *                                           task was deleted while it ran learns it here
     */
    void appendConsole(String taskId, String text);

    /** All console output chunks of a task, concatenated in order; empty string if none. */
    String readConsole(String taskId);
}
