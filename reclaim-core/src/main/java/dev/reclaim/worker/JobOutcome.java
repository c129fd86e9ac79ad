package dev.reclaim.worker;

import dev.reclaim.model.TaskStatus;

/** How a job's run ended: COMPLETED or FAILED, with exit code and error for the record. */
record JobOutcome(TaskStatus status, Integer exitCode, String error) {
    static JobOutcome completed(Integer exitCode) {
        return new JobOutcome(TaskStatus.COMPLETED, exitCode, null);
    }

    /** A command that ran and exited with {@code exitCode}: COMPLETED on 0, else FAILED saying the code. */
    static JobOutcome exited(int exitCode) {
        return exitCode == 0 ? completed(0) : failed(exitCode, "exit code " + exitCode);
    }

    static JobOutcome failed(Integer exitCode, String error) {
        return new JobOutcome(TaskStatus.FAILED, exitCode, error);
    }
}
