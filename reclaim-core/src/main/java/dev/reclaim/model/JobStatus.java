package dev.reclaim.model;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** A task's status as the job API reports it (docs/rules.md section 2). */
public enum JobStatus {
    /** Waiting for a worker. */
    QUEUED,
    /** A live worker is running it. */
    RUNNING,
    /** Ended successfully (task status COMPLETED or PUBLISHED). */
    FINISHED,
    /** Ended unsuccessfully. */
    FAILED,
    /** Canceled by a user. */
    CANCELED,
    /** The record exists but its state cannot be known: its worker stopped renewing the lease, or it is a draft. */
    UNDETERMINED,
    /** No record: never existed, or cleaned up. */
    MISSING;

    /**
     * Parses a job state name case-insensitively.
     *
     * @throws InvalidArgumentException naming the accepted values when the name is unknown
     */
    public static JobStatus parse(String name) {
        if (name != null) {
            String upper = name.trim().toUpperCase(Locale.ROOT);
            for (JobStatus s : values()) {
                if (s.name().equals(upper)) {
                    return s;
                }
            }
        }
        throw new InvalidArgumentException("unknown job state '" + name + "'; use one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", ")));
    }
}
