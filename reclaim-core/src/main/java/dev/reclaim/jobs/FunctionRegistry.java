package dev.reclaim.jobs;

import dev.reclaim.jobs.JobFunction;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The Java functions of jobs submitted in this process, by job id, until a worker takes them. */
public final class FunctionRegistry {
    private final ConcurrentHashMap<String, JobFunction<?>> functions = new ConcurrentHashMap<>();

    /** Remembers the function of a job. */
    public void register(String jobId, JobFunction<?> function) {
        functions.put(jobId, function);
    }

    /** Takes (and forgets) the function of a job; empty if this process does not have it. */
    public Optional<JobFunction<?>> take(String jobId) {
        return Optional.ofNullable(functions.remove(jobId));
    }

    /** Forgets a job's function (canceled or deleted before it ran). */
    public void forget(String jobId) {
        functions.remove(jobId);
    }
}
