package dev.reclaim.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI reads from its surroundings, passed in so tests need not change the real process.
 *
 * @param env the environment variables
 * @param cwd the working directory (absolute)
 */
record CliEnvironment(Map<String, String> env, Path cwd) {
    CliEnvironment {
        env = Map.copyOf(Objects.requireNonNull(env, "env"));
        cwd = cwd.toAbsolutePath().normalize();
    }

    /** A variable's value, or null when it is unset or empty. */
    String get(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }
}
