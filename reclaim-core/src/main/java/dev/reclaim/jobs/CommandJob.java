package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Names;
import dev.reclaim.model.Task;

import java.util.List;
import java.util.Map;

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
        if (command == null || command.isEmpty() || command.get(0) == null || command.get(0).isBlank()) {
            throw new InvalidArgumentException("a command job needs a command: give the program and its arguments after '--'");
        }
        for (int i = 0; i < command.size(); i++) {
            String arg = command.get(i);
            if (arg == null || arg.indexOf('\0') >= 0) {
                throw new InvalidArgumentException("argument " + (i + 1) + " of the command is "
                        + (arg == null ? "missing (null)" : "text with a NUL character, which no program can receive")
                        + "; give every argument as text");
            }
        }
        command = List.copyOf(command);
        if (env != null) {
            env.forEach((k, v) -> {
                if (k == null || v == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0 || v.indexOf('\0') >= 0) {
                    throw new InvalidArgumentException("environment variable '" + (k == null ? "" : Names.printable(k))
                            + "' is not usable: a name without '=' and a value, neither with a NUL character");
                }
            });
        }
        env = env == null ? Map.of() : Map.copyOf(env);
        name = name == null || name.isBlank() ? defaultName(command.get(0)) : Names.JOB_NAME.check(name);
        project = project == null || project.isBlank() ? Task.DEFAULT_PROJECT : Names.PROJECT.check(project);
    }

    /**
     * The program as the job's name, shortened to the name limit: a default must not turn a long
     * program path into an error.
     */
    private static String defaultName(String program) {
        String name = program.strip();
        int max = Names.JOB_NAME.max();
        if (name.codePointCount(0, name.length()) > max) {
            name = name.substring(0, name.offsetByCodePoints(0, max)).strip();
        }
        try {
            return Names.JOB_NAME.check(name);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("the job has no name and its program cannot be one: " + e.getMessage()
                    + "; give the job a name");
        }
    }

    /** A command job with default name and project. */
    public static CommandJob of(String... command) {
        return new CommandJob(null, null, List.of(command), Map.of(), null);
    }
}
