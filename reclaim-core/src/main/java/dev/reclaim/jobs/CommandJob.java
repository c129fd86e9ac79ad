package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Task;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job that runs an operating-system command. The process gets {@code RECLAIM_JOB_ID} and
 * {@code RECLAIM_OUTPUT} (a folder where it writes {@code models/}, {@code artifacts/},
 * {@code debug/} and an optional {@code result.json}) in its environment; its stdout and stderr
 * become the console output. Exit code 0 means COMPLETED, anything else FAILED.
 *
 * @param name       job name; defaults to the command's first word
 * @param project    project; defaults to {@code default}
 * @param command    the program and its arguments; not empty
 * @param env        extra environment variables
 * @param workingDir working directory; null for the worker's own
 */
public record CommandJob(String name, String project, List<String> command, Map<String, String> env,
                         String workingDir) implements JobSpec {
    public CommandJob {
        Objects.requireNonNull(command, "command");
        if (command.isEmpty() || command.get(0).isBlank()) {
            throw new InvalidArgumentException("a command job needs a command: give the program and its arguments after '--'");
        }
        command = List.copyOf(command);
        env = env == null ? Map.of() : Map.copyOf(env);
        name = name == null || name.isBlank() ? command.get(0) : name;
        project = project == null || project.isBlank() ? Task.DEFAULT_PROJECT : project;
    }

    /** A command job with default name and project. */
    public static CommandJob of(String... command) {
        return new CommandJob(null, null, List.of(command), Map.of(), null);
    }
}
