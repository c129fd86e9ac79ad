package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;

/** One-line descriptions of a job's state for stderr. */
final class JobDescriptions {
    private JobDescriptions() {
    }

    /** {@code job ID FAILED: exit code 3; see its console with: reclaim jobs output ID}. */
    static String ended(Reclaim reclaim, String id, JobStatus status) {
        return switch (status) {
            case FAILED -> "job " + id + " FAILED" + error(reclaim, id) + "; see its console with: reclaim jobs output " + id;
            case CANCELED -> "job " + id + " CANCELED" + error(reclaim, id);
            case UNDETERMINED -> "job " + id + " UNDETERMINED: its worker stopped renewing its lease; "
                    + "remove it with: reclaim jobs cleanup --force " + id;
            case MISSING -> "job " + id + " MISSING: it does not exist (never submitted, or already cleaned up)";
            default -> "job " + id + " " + status;
        };
    }

    // The job API's JobInfo carries no error text; the record is read for it (read only).
    private static String error(Reclaim reclaim, String id) {
        return reclaim.tasks().find(id).map(Task::error).filter(e -> !e.isBlank()).map(e -> ": " + e).orElse("");
    }
}
