package dev.reclaim.jobs;

/**
 * What a job runs: a command ({@link CommandJob}), the same on a cluster manager ({@link BatchJob}),
 * or a Java function ({@link FunctionJob}).
 * Both write outputs into a folder of their own; when the job ends each file is registered as an
 * artifact (models/ -> MODEL, artifacts/ -> ARTIFACT, debug/ -> DEBUG_SAMPLE, result.json -> RESULT,
 * console output -> LOG).
 */
public sealed interface JobSpec permits CommandJob, FunctionJob, BatchJob {
    /** The job's name. */
    String name();

    /** The project the job belongs to. */
    String project();
}
