package dev.reclaim.slurm;

import dev.reclaim.model.JobStatus;

/**
 * A Slurm job state as {@code squeue %T} and {@code scontrol show job} print it (Slurm 22.05), and the Reclaim
 * job status it means.
 *
 * <p>The constants are exactly the names Slurm's {@code job_state_string} returns (base states, then the
 * flags it prints instead of the base state). States that can still change map to {@link JobStatus#QUEUED}
 * (waiting to run, or to run again: requeued jobs run again from the start) or {@link JobStatus#RUNNING}
 * (holding an allocation, even when suspended or stopped); ended states map to FINISHED, FAILED (with Slurm's
 * reason, see {@link #describe}) or CANCELED. None maps to UNDETERMINED: that is for a job Slurm no longer
 * knows and that left no exit record, which the caller decides.
 */
enum SlurmJobState {
    /** Waiting for resources, a dependency, a hold or priority. */
    PENDING(JobStatus.QUEUED),
    RUNNING(JobStatus.RUNNING),
    /** Suspended by an administrator (or gang scheduling); it keeps its allocation and resumes. */
    SUSPENDED(JobStatus.RUNNING),
    /** Ended; Slurm is still cleaning up on the node. */
    COMPLETING(JobStatus.RUNNING),
    /** Script exited 0. */
    COMPLETED(JobStatus.FINISHED),
    /** scancel, by the user or an administrator. */
    CANCELLED(JobStatus.CANCELED),
    /** Script exited non-zero (Reason=NonZeroExitCode) or was killed by a signal. */
    FAILED(JobStatus.FAILED),
    /** Ran past its time limit. */
    TIMEOUT(JobStatus.FAILED),
    /** Its node failed (e.g. slurmd stopped answering). */
    NODE_FAIL(JobStatus.FAILED),
    /** Preempted and not requeued (the preemption mode cancelled it). */
    PREEMPTED(JobStatus.FAILED),
    /** Its node failed to boot. */
    BOOT_FAIL(JobStatus.FAILED),
    /** Reached its deadline ({@code --deadline}) before it could run. */
    DEADLINE(JobStatus.FAILED),
    OUT_OF_MEMORY(JobStatus.FAILED),
    /** Being put back in the queue (node failure with requeue, or scontrol requeue): it will run again. */
    REQUEUED(JobStatus.QUEUED),
    /** Requeued in a held state (scontrol requeuehold): waits for a release. */
    REQUEUE_HOLD(JobStatus.QUEUED),
    /** Being requeued by its federation (sibling jobs); will run again. */
    REQUEUE_FED(JobStatus.QUEUED),
    /** Allocation being resized; still running. */
    RESIZING(JobStatus.RUNNING),
    /** Sibling of a federated job that ran elsewhere: this copy will never run. */
    REVOKED(JobStatus.CANCELED),
    /** Being sent a signal (e.g. at its time limit); still running. */
    SIGNALING(JobStatus.RUNNING),
    /** Requeued in a special state because it exited with a configured code; held until released. */
    SPECIAL_EXIT(JobStatus.QUEUED),
    /** Staging out data (burst buffer) after the script ended. */
    STAGE_OUT(JobStatus.RUNNING),
    /** Sent SIGSTOP; keeps its allocation. */
    STOPPED(JobStatus.RUNNING),
    /** Allocated; its nodes are being booted or configured before the script starts. */
    CONFIGURING(JobStatus.RUNNING),
    /** Held because its reservation was deleted; waits for a release. */
    RESV_DEL_HOLD(JobStatus.QUEUED);

    private final JobStatus status;

    SlurmJobState(JobStatus status) {
        this.status = status;
    }

    /** The Reclaim job status this Slurm state means. */
    JobStatus status() {
        return status;
    }

    /** True once Slurm will not run the job (again) without someone acting on it. */
    boolean ended() {
        return status == JobStatus.FINISHED || status == JobStatus.FAILED || status == JobStatus.CANCELED;
    }

    /**
     * The state with Slurm's reason, for users: {@code TIMEOUT (TimeLimit)}, {@code FAILED (NonZeroExitCode)};
     * just the state when the reason is {@code None} or empty.
     */
    String describe(String reason) {
        return reason == null || reason.isEmpty() || reason.equals("None") ? name() : name() + " (" + reason + ")";
    }

    /**
     * Parses a state exactly as squeue {@code %T} and scontrol {@code JobState=} print it (Slurm's
     * {@code job_state_string}: upper case, underscores); nothing else is accepted.
     *
     * @throws SlurmOutputException naming the text when it is not a Slurm job state
     */
    static SlurmJobState parse(String text) {
        if (text == null) {
            throw new SlurmOutputException("missing Slurm job state");
        }
        for (SlurmJobState s : values()) {
            if (s.name().equals(text)) {
                return s;
            }
        }
        throw new SlurmOutputException("unknown Slurm job state '" + text + "'");
    }
}
