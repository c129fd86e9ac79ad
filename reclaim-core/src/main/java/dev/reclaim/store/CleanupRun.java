package dev.reclaim.store;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The report of one Cleanup Service run, as kept in the run history.
 *
 * @param id         run id
 * @param serviceTaskId the Cleanup Service task it ran as, or null when run locally
 * @param holder     the process that ran it
 * @param startedAt  start
 * @param endedAt    end
 * @param dryRun     true when nothing was deleted
 * @param settings   the settings it ran with
 * @param candidates tasks selected by the policy
 * @param deleted    tasks deleted (dry run: tasks that would be deleted)
 * @param objects    objects freed (dry run: that would be freed)
 * @param bytes      bytes freed (dry run: that would be freed)
 * @param skipped    tasks skipped by a rule
 * @param failed     tasks whose deletion failed or is incomplete
 * @param items      per-task lines (the first {@link #MAX_ITEMS_KEPT}): deleted (or planned), skipped and
 *                   failed, each with its rule or reason; listeners see every line
 * @param itemsTruncated true when there were more lines than kept
 * @param stoppedEarly true when a stop request ended the run after the current batch
 * @param leaseLost  why the run lost its cleanup lease and stopped before marking more tasks (what it had
 *                   marked was still deleted), or null when it held the lease to the end
 * @param resumed    deletions that earlier runs or commands started and did not finish (their process died,
 *                   or storage failed), which this run finished before it selected candidates: not counted in
 *                   {@code deleted}, {@code objects} or {@code bytes}, which are what the policy chose
 */
public record CleanupRun(String id, String serviceTaskId, String holder, Instant startedAt, Instant endedAt,
                         boolean dryRun, Map<String, String> settings, long candidates, long deleted, long skipped,
                         long failed, long objects, long bytes, List<Item> items, boolean itemsTruncated,
                         boolean stoppedEarly, String leaseLost, ResumedDeletions resumed) {
    /** Lines kept in a stored report, so memory and history stay bounded however many tasks a run sees. */
    public static final int MAX_ITEMS_KEPT = 1000;

    public CleanupRun {
        settings = Map.copyOf(settings);
        items = List.copyOf(items);
        resumed = resumed == null ? ResumedDeletions.NONE : resumed; // a report stored before runs said
    }

    /** True when the run lost its lease before it ended, so it did not look at every candidate. */
    public boolean lostLease() {
        return leaseLost != null;
    }

    /** Run duration. */
    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    /** What happened to one task in a run. */
    public enum Outcome {
        /** Deleted. */
        DELETED,
        /** Dry run: would be deleted. */
        WOULD_DELETE,
        /** Not deleted, by rule (changed since selection, keep_last, protection). */
        SKIPPED,
        /** Deletion failed or is incomplete; it resumes on the next run. */
        FAILED
    }

    /**
     * One task's line in a run report.
     *
     * @param taskId   the task
     * @param name     its name
     * @param project  its project
     * @param outcome  what happened
     * @param rule     for deleted/planned tasks: the rule that selected it; else the reason
     * @param objects  objects freed (or that would be)
     * @param bytes    bytes freed (or that would be)
     */
    public record Item(String taskId, String name, String project, Outcome outcome, String rule, long objects, long bytes) {
    }
}
