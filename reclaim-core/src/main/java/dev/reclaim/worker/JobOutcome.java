package dev.reclaim.worker;

import dev.reclaim.model.TaskStatus;

/** How a job's run ended: COMPLETED or FAILED, with exit code and error for the record. */
record JobOutcome(TaskStatus status, Integer exitCode, String error) {
    static JobOutcome completed(Integer exitCode) {
        return new JobOutcome(TaskStatus.COMPLETED, exitCode, null);
    }

    static JobOutcome failed(Integer exitCode, String error) {
        return new JobOutcome(TaskStatus.FAILED, exitCode, error);
    }
}
