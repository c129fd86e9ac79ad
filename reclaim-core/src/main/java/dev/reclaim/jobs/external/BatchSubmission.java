package dev.reclaim.jobs.external;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an executor is asked to run.
 *
 * @param jobId       Reclaim's id of the job (the task id)
 * @param name        the job's name
 * @param command     the program and its arguments
 * @param env         extra environment variables; {@code RECLAIM_JOB_ID} and {@code RECLAIM_OUTPUT} are added
 * @param workingDir  working directory, or null for the staging folder
 * @param outputDir   the job's staging folder, on storage both sides reach: {@code RECLAIM_OUTPUT}
 * @param consoleFile where the job's stdout and stderr go (inside {@code outputDir})
 * @param exitFile    where the batch script writes the command's exit status when it ends
 * @param options     the executor's options, as {@link BatchExecutor#checkOptions} returned them
 */
public record BatchSubmission(String jobId, String name, List<String> command, Map<String, String> env, String workingDir,
                              Path outputDir, Path consoleFile, Path exitFile, Map<String, String> options) {
    public BatchSubmission {
        command = List.copyOf(command);
        env = Map.copyOf(env);
        options = Map.copyOf(options);
    }
}
