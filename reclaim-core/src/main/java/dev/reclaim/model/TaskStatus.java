package dev.reclaim.model;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Lifecycle status of a task (docs/rules.md section 1). */
public enum TaskStatus {
    /** A draft: editable, not submitted. */
    CREATED,
    /** Waiting on a queue for a worker. */
    QUEUED,
    /** Claimed by a worker and running. */
    RUNNING,
    /** Ended successfully. */
    COMPLETED,
    /** Ended unsuccessfully (non-zero exit, exception, could not start). */
    FAILED,
    /** Stopped by a user before it ended. */
    CANCELED,
    /** Completed and published: protected from deletion without force. */
    PUBLISHED;

    /** True for statuses a job cannot leave by running: COMPLETED, FAILED, CANCELED, PUBLISHED. */
    public boolean isEnded() {
        return this == COMPLETED || this == FAILED || this == CANCELED || this == PUBLISHED;
    }

    /**
     * Parses a status name case-insensitively ({@code completed}, {@code COMPLETED}).
     *
     * @throws InvalidArgumentException naming the accepted values when the name is unknown
     */
    public static TaskStatus parse(String name) {
        if (name != null) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            for (TaskStatus s : values()) {
                if (s.name().equals(upper)) {
                    return s;
                }
            }
        }
        throw new InvalidArgumentException("unknown task status '" + name + "'; use one of "
                + Arrays.stream(values()).map(s -> s.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }
}
