package dev.reclaim.jobs;

import dev.reclaim.jobs.external.BatchExecutor;

import java.time.Duration;
import java.util.Optional;

/**
 * The worker pools of this process, as the job and task APIs see them: the private queue Java
 * function jobs run on, in-process cancellation, and whether a queue has a live worker anywhere.
 */
public interface LocalWorkers {

    /** The private queue of this process: Java function jobs and in-process runs wait here. */
    String localQueue();

    /** Starts (once) the pool that serves {@link #localQueue()}. */
    void startLocalPool();

    /** Stops a job that a pool of this process runs, at once; nothing when none runs it. */
    void cancelLocally(String jobId);

    /** True when a worker that serves {@code queue} heartbeated within the lease timeout. */
    boolean hasLiveWorker(String queue);

    /** How long to wait between looks at a job's status when no signal comes. */
    Duration pollInterval();

    /** In-process signals between submitters, workers and waiters. */
    LocalSignals signals();

    /** Functions of Java jobs submitted in this process, until a worker takes them. */
    FunctionRegistry functions();

    /** The cluster manager of this name, when this process has it ({@link dev.reclaim.worker.Workers#addExecutor}). */
    Optional<BatchExecutor> executor(String name);

    /** Starts (once per queue) an in-process monitor that submits and follows the batch jobs of {@code queue}. */
    void startMonitorFor(String executor, String queue);
}
