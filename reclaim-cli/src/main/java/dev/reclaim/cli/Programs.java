package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks that a command job's program can start before the job is created. */
final class Programs {
    private Programs() {
    }

    /**
     * Checks that {@code program} is an executable file: a path (containing '/') relative to the
     * working directory, or a name found on PATH.
     *
     * @throws InvalidArgumentException saying what is missing and how to fix it
     */
    static void check(String program, CliEnvironment env) {
        try {
            if (program.contains("/")) {
                checkPath(program, env.cwd().resolve(program));
            } else {
                checkOnPath(program, env.get("PATH"), env.cwd());
            }
        } catch (InvalidPathException e) {
            throw new InvalidArgumentException("cannot run '" + program + "': not a valid file name (" + e.getReason() + ")");
        }
    }

    private static void checkPath(String program, Path file) {
        if (!Files.exists(file)) {
            throw new InvalidArgumentException("cannot run '" + program + "': there is no file " + file
                    + "; check the path, or give the name of a program on PATH");
        }
        if (Files.isDirectory(file)) {
            throw new InvalidArgumentException("cannot run '" + program + "': " + file + " is a folder, not a program");
        }
        if (!Files.isExecutable(file)) {
            throw new InvalidArgumentException("cannot run '" + program + "': " + file + " is not executable; "
                    + "make it executable (chmod +x " + Text.shellQuote(program) + ") or run it through a shell "
                    + "(-- sh " + Text.shellQuote(program) + ")");
        }
    }

    private static void checkOnPath(String program, String path, Path cwd) {
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                Path candidate = cwd.resolve(dir).resolve(program);
                if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                    return;
                }
            }
        }
        throw new InvalidArgumentException("cannot run '" + program + "': no such program on PATH"
                + (path == null ? " (PATH is not set)" : "") + "; install it, give its full path (e.g. ./"
                + program + " or /usr/local/bin/" + program + "), or run a shell command with -- sh -c '...'");
    }
}
