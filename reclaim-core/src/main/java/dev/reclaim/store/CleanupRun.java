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
 * @param trigger    what started it: {@code cli}, {@code service} (a Cleanup Service loop or task), {@code ui},
 *                   {@code api} (HTTP or Java); null in reports stored before runs recorded it
 * @param startedBy  who started it: the API token's name, the OS user, or the service task; null when unknown
 */
public record CleanupRun(String id, String serviceTaskId, String holder, Instant startedAt, Instant endedAt,
                         boolean dryRun, Map<String, String> settings, long candidates, long deleted, long skipped,
                         long failed, long objects, long bytes, List<Item> items, boolean itemsTruncated,
                         boolean stoppedEarly, String leaseLost, ResumedDeletions resumed, String trigger,
                         String startedBy) {
    /** Lines kept in a stored report, so memory and history stay bounded however many tasks a run sees. */
    public static final int MAX_ITEMS_KEPT = 1000;

    public CleanupRun {
        settings = Map.copyOf(settings);
        items = List.copyOf(items);
        resumed = resumed == null ? ResumedDeletions.NONE : resumed; // a report stored before runs said
    }

    /** A report to fill in by name: the run's id and start; everything else is zero, empty or false until set. */
    public static Builder builder(String id, Instant startedAt) {
        return new Builder(id, startedAt);
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

    /** Builds a {@link CleanupRun} by name; see the record's components for what each value means. */
    public static final class Builder {
        private final String id;
        private final Instant startedAt;
        private String serviceTaskId;
        private String holder;
        private Instant endedAt;
        private boolean dryRun;
        private Map<String, String> settings = Map.of();
        private long candidates;
        private long deleted;
        private long skipped;
        private long failed;
        private long objects;
        private long bytes;
        private List<Item> items = List.of();
        private boolean itemsTruncated;
        private boolean stoppedEarly;
        private String leaseLost;
        private ResumedDeletions resumed = ResumedDeletions.NONE;
        private String trigger;
        private String startedBy;

        private Builder(String id, Instant startedAt) {
            this.id = id;
            this.startedAt = startedAt;
            this.endedAt = startedAt;
        }

        /** The Cleanup Service task it ran as; null (the default) when run locally. */
        public Builder serviceTask(String v) { serviceTaskId = v; return this; }

        /** The process that ran it. */
        public Builder holder(String v) { holder = v; return this; }

        /** When it ended (its start unless set). */
        public Builder endedAt(Instant v) { endedAt = v; return this; }

        /** A dry run deleted nothing. */
        public Builder dryRun(boolean v) { dryRun = v; return this; }

        /** The settings it ran with. */
        public Builder settings(Map<String, String> v) { settings = v; return this; }

        /** Tasks selected by the policy. */
        public Builder candidates(long v) { candidates = v; return this; }

        /** Tasks deleted (dry run: that would be). */
        public Builder deleted(long v) { deleted = v; return this; }

        /** Tasks skipped by a rule. */
        public Builder skipped(long v) { skipped = v; return this; }

        /** Tasks whose deletion failed or is incomplete. */
        public Builder failed(long v) { failed = v; return this; }

        /** Objects and bytes freed (dry run: that would be). */
        public Builder freed(long objectCount, long byteCount) { objects = objectCount; bytes = byteCount; return this; }

        /** The per-task lines kept, and whether there were more. */
        public Builder items(List<Item> v, boolean truncated) { items = v; itemsTruncated = truncated; return this; }

        /** A stop request ended the run after the current batch. */
        public Builder stoppedEarly(boolean v) { stoppedEarly = v; return this; }

        /** Why it lost its lease, or null (the default) when it held it to the end. */
        public Builder leaseLost(String v) { leaseLost = v; return this; }

        /** Unfinished deletions it finished before selecting candidates. */
        public Builder resumed(ResumedDeletions v) { resumed = v; return this; }

        /** What started it and who (see the record's components). */
        public Builder startedBy(String triggerName, String who) { trigger = triggerName; startedBy = who; return this; }

        /** The report. */
        public CleanupRun build() {
            return new CleanupRun(id, serviceTaskId, holder, startedAt, endedAt, dryRun, settings, candidates, deleted,
                    skipped, failed, objects, bytes, items, itemsTruncated, stoppedEarly, leaseLost, resumed, trigger, startedBy);
        }
    }
}
