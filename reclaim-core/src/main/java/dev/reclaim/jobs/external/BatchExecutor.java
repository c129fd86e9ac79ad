package dev.reclaim.jobs.external;

import java.util.Collection;
import java.util.Map;

/**
 * A cluster manager that runs command jobs outside Reclaim's own workers (Slurm; Kubernetes on
 * paper, docs/executors.md). Reclaim hands it a batch script and follows it: submission, the state
 * of many jobs in one call, cancel. Everything else (statuses, outputs, console, cleanup) is
 * Reclaim's, the same for every executor. Implementations are modules; they must be safe to call
 * from several threads and must fail with {@link ExecutorUnavailableException} when the manager
 * cannot be reached, never guess a state.
 */
public interface BatchExecutor {

    /** The name jobs and queues use for it ({@code slurm}). */
    String name();

    /**
     * Checks and normalises the options a job or a queue gives (partition, time limit, ...).
     *
     * @throws dev.reclaim.InvalidArgumentException naming the option that is wrong and how to write it
     */
    Map<String, String> checkOptions(Map<String, String> options);

    /**
     * Submits a job.
     *
     * @return the manager's id of the job
     * @throws ExecutorUnavailableException when it cannot be submitted now (nothing was submitted)
     */
    String submit(BatchSubmission submission);

    /**
     * The states of these jobs, in one call to the manager (one poll for every job, not one per
     * job). A job the manager no longer knows is {@link ExternalState#forgotten()}.
     *
     * @throws ExecutorUnavailableException when the manager does not answer (no state is guessed)
     */
    Map<String, ExternalState> states(Collection<String> ids);

    /**
     * Asks the manager to stop a job; returns once it accepted the request (the state then says
     * when it stopped).
     *
     * @throws ExecutorUnavailableException when the request could not be made
     */
    void cancel(String id);
}
