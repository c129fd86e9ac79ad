package dev.reclaim.jobs;

import dev.reclaim.model.JobStatus;

import java.util.List;

/**
 * What {@link Jobs#cleanup} did for one job.
 *
 * @param jobId        the job
 * @param statusBefore its status when cleanup looked at it
 * @param outcome      what happened
 * @param message      for skips and failures: why, and how to proceed
 * @param objects      stored objects deleted
 * @param bytes        bytes freed
 * @param deleted      each object key and record deleted, in order (what verbose prints)
 */
public record CleanupReport(String jobId, JobStatus statusBefore, Outcome outcome, String message, long objects,
                            long bytes, List<String> deleted) {

    /** Outcome of cleaning up one job. */
    public enum Outcome {
        /** Artifacts and record deleted. */
        DELETED,
        /** There was nothing: the job never existed or was already cleaned up. Not an error. */
        ALREADY_GONE,
        /** Not deleted: needs force (results never retrieved, still queued/running, undetermined, published). */
        SKIPPED_NEEDS_FORCE,
        /** Deletion started but did not complete (e.g. storage errors); it resumes on the next run. */
        FAILED
    }

    public CleanupReport {
        deleted = List.copyOf(deleted);
    }
}
