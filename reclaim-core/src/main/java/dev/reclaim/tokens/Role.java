package dev.reclaim.tokens;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a token may do; each role includes the ones below it. {@link #VIEWER} reads,
 * {@link #OPERATOR} also changes and deletes (submit, cancel, archive, delete, run cleanup),
 * {@link #ADMIN} also manages settings and tokens.
 */
public enum Role {
    /** Reads: status, lists, artifacts, settings, history, metrics. */
    VIEWER,
    /** Also submits, cancels, archives, deletes, runs cleanup. */
    OPERATOR,
    /** Also changes Cleanup Service settings and manages tokens. */
    ADMIN;

    /** The lowercase name used in the API, the CLI and the store. */
    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a holder of this role may call a route that needs {@code required}. */
    public boolean includes(Role required) {
        return compareTo(required) >= 0;
    }

    /**
     * Parses {@code viewer}, {@code operator} or {@code admin} (case-insensitive).
     *
     * @throws InvalidArgumentException naming the accepted roles
     */
    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.apiName().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return r;
            }
        }
        throw new InvalidArgumentException("unknown role '" + s + "'; use one of "
                + Arrays.stream(values()).map(Role::apiName).collect(Collectors.joining(", ")));
    }
}
