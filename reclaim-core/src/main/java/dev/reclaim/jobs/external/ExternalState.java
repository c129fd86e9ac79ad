package dev.reclaim.jobs.external;

/**
 * A job's state as its executor reports it, reduced to what Reclaim's statuses need.
 *
 * @param phase    where the job is
 * @param raw      the executor's own name of the state ({@code PENDING}, {@code TIMEOUT}, ...)
 * @param reason   why, in the executor's words (a pending reason, a failure's), or null
 * @param exitCode the command's exit code when the executor knows it, else null
 */
public record ExternalState(Phase phase, String raw, String reason, Integer exitCode) {

    /** Where a job is. */
    public enum Phase {
        /** Waiting to start: Reclaim shows QUEUED. */
        QUEUED,
        /** Started and not ended: RUNNING. */
        RUNNING,
        /** Ended; the exit record (or the exit code) says FINISHED or FAILED. */
        ENDED,
        /** Ended by the executor for a reason of its own (time limit, memory, node failure): FAILED with the reason. */
        FAILED,
        /** Stopped by a cancel, Reclaim's or anyone's: CANCELED. */
        CANCELED,
        /** The executor no longer knows the job: the exit record decides, or UNDETERMINED. */
        FORGOTTEN
    }

    /** A job the executor no longer knows. */
    public static ExternalState forgotten() {
        return new ExternalState(Phase.FORGOTTEN, null, null, null);
    }
}
