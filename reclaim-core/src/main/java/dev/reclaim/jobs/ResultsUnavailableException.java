package dev.reclaim.jobs;

import dev.reclaim.ReclaimException;
import dev.reclaim.model.JobStatus;

/** Results were asked for a job that has not finished, failed, was canceled, or is gone. */
public final class ResultsUnavailableException extends ReclaimException {
    private final String jobId;
    private final JobStatus status;

    public ResultsUnavailableException(String jobId, JobStatus status, String message) {
        super(message);
        this.jobId = jobId;
        this.status = status;
    }

    /** The job asked for. */
    public String jobId() {
        return jobId;
    }

    /** Its status, which says why there are no results. */
    public JobStatus status() {
        return status;
    }
}
