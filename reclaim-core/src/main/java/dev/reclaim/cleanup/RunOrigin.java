package dev.reclaim.cleanup;

import java.util.Locale;

/**
 * What started a Cleanup Service run and who, recorded in its report and shown in the history.
 *
 * @param trigger   where the run was asked for
 * @param startedBy the API token's name, the OS user or the service task's id; null when unknown
 */
public record RunOrigin(Trigger trigger, String startedBy) {
    /** Where a run was asked for. */
    public enum Trigger {
        /** The command line ({@code reclaim cleanup}). */
        CLI,
        /** A service: {@code --run-as-service}, the server's cleanup loop, or the Cleanup Service task. */
        SERVICE,
        /** The web UI's Run now. */
        UI,
        /** The HTTP API, or a Java program calling {@link CleanupService} directly. */
        API;

        /** The name shown in reports: {@code cli}, {@code service}, {@code ui}, {@code api}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RunOrigin {
        if (trigger == null) {
            throw new IllegalArgumentException("a run origin needs a trigger");
        }
    }

    /**
     * A Java program calling the service directly: the API trigger, started by the OS user this
     * process runs as.
     */
    public static RunOrigin javaApi() {
        return new RunOrigin(Trigger.API, System.getProperty("user.name"));
    }
}
