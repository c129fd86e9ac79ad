package dev.reclaim.jobs;

import dev.reclaim.model.Names;
import dev.reclaim.model.Task;

import java.util.Objects;

/**
 * A job that runs a Java function in the submitting process. Its return value is stored as the
 * RESULT artifact (JSON). Because the function lives in memory, only the submitting
 * {@link dev.reclaim.Reclaim} instance can run it; if that process dies before it ran, the job
 * shows UNDETERMINED.
 *
 * @param name     job name
 * @param project  project; defaults to {@code default}
 * @param function the code to run
 * @param <T>      result type; must be serialisable to JSON by Jackson
 */
public record FunctionJob<T>(String name, String project, JobFunction<T> function) implements JobSpec {
    public FunctionJob {
        Objects.requireNonNull(function, "function");
        name = name == null || name.isBlank() ? "function" : Names.JOB_NAME.check(name);
        project = project == null || project.isBlank() ? Task.DEFAULT_PROJECT : Names.PROJECT.check(project);
    }

    /** A function job with the given name in the default project. */
    public static <T> FunctionJob<T> of(String name, JobFunction<T> function) {
        return new FunctionJob<>(name, null, function);
    }
}
