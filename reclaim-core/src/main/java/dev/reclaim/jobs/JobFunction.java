package dev.reclaim.jobs;

/**
 * Java code run as a job.
 *
 * @param <T> result type, stored as JSON
 */
@FunctionalInterface
public interface JobFunction<T> {
    /**
     * Runs the job. Throwing makes the job FAILED with the exception's message.
     *
     * @param context where to write artifacts and log lines
     * @return the result, stored as the job's RESULT artifact (null stores JSON {@code null})
     */
    T run(JobContext context) throws Exception;
}
