package dev.reclaim.model;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One unit of tracked work (docs/rules.md section 1). A job is a task that was submitted for
 * execution; its job fields are null for tasks created in the catalog. Immutable: change a task
 * with {@link #toBuilder()} and write it back with a compare-and-set on {@link #version()}.
 *
 * @param id                 opaque, time-ordered, never reused
 * @param name               descriptive name
 * @param project            project; {@code default} unless given
 * @param type               task type, e.g. {@code job}, {@code training}, {@code service}
 * @param owner              who created it
 * @param status             lifecycle status
 * @param tags               free user tags
 * @param systemTags         tags set by the system, e.g. {@code archived}
 * @param createdAt          when it was created
 * @param startedAt          when a worker started it
 * @param endedAt            when it ended
 * @param statusChangedAt    moves only on a status change
 * @param lastUpdateAt       moves on every change
 * @param archivedAt         when it was archived; null if not archived, never null for an archived task. The clock for retention
 * @param resultsRetrievedAt when results were handed back through the job API
 * @param parentId           parent task, or {@link #DELETED_PARENT} once the parent was deleted
 * @param inputModels        ids of MODEL artifacts of other tasks this task uses as input
 * @param queue              queue a job waits on; null for a task never submitted
 * @param spec               what a job runs, as JSON (see {@code dev.reclaim.jobs.JobSpec}); null for catalog tasks
 * @param submittedOptions   compute context options as they were at submission (each may be null)
 * @param workerId           worker holding a RUNNING job
 * @param leaseExpiresAt     when the holding worker's lease on a RUNNING job runs out
 * @param exitCode           process exit code of a command job
 * @param error              why a job failed, in words
 * @param params             free-form parameters (the Cleanup Service keeps its settings here)
 * @param deletingSince      set when deletion of the task started; the task is then no longer live
 * @param version            incremented by every write; the condition of every compare-and-set
 */
public record Task(String id, String name, String project, String type, String owner, TaskStatus status,
                   SortedSet<String> tags, SortedSet<String> systemTags,
                   Instant createdAt, Instant startedAt, Instant endedAt, Instant statusChangedAt,
                   Instant lastUpdateAt, Instant archivedAt, Instant resultsRetrievedAt,
                   String parentId, List<String> inputModels,
                   String queue, String spec, JobOptions submittedOptions, String workerId,
                   Instant leaseExpiresAt, Integer exitCode, String error,
                   SortedMap<String, String> params, Instant deletingSince, long version) {

    /** The system tag that marks a task archived. */
    public static final String ARCHIVED = "archived";
    /**
     * The system tag of a task on hold: no rule, no Cleanup Service run and no delete without force
     * deletes it. Set and cleared only through holds ({@code reclaim tasks hold}), which audit it.
     */
    public static final String HOLD = "hold";
    /** The project used when none is given. */
    public static final String DEFAULT_PROJECT = "default";
    /** What {@link #parentId()} becomes when the parent task is deleted. */
    public static final String DELETED_PARENT = "__deleted_parent__";

    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(statusChangedAt, "statusChangedAt");
        Objects.requireNonNull(lastUpdateAt, "lastUpdateAt");
        tags = tags == null ? new TreeSet<>() : new TreeSet<>(tags);
        systemTags = systemTags == null ? new TreeSet<>() : new TreeSet<>(systemTags);
        tags = Collections.unmodifiableSortedSet(tags);
        systemTags = Collections.unmodifiableSortedSet(systemTags);
        inputModels = inputModels == null ? List.of() : List.copyOf(inputModels);
        params = Collections.unmodifiableSortedMap(params == null ? new TreeMap<>() : new TreeMap<>(params));
        submittedOptions = submittedOptions == null ? JobOptions.UNSET : submittedOptions;
        if (systemTags.contains(ARCHIVED) && archivedAt == null) {
            // Retention counts from archivedAt, and stores rely on it to list archived tasks by it
            throw new IllegalArgumentException("task " + id + " has the archived system tag but no archivedAt");
        }
    }

    /** True when the task carries the {@code archived} system tag. */
    public boolean isArchived() {
        return systemTags.contains(ARCHIVED);
    }

    /** True when the task is not being deleted. */
    public boolean isLive() {
        return deletingSince == null;
    }

    /** A builder for a new task with the given id, name and creation time; other fields take defaults. */
    public static Builder builder(String id, String name, Instant createdAt) {
        return new Builder().id(id).name(name).createdAt(createdAt).statusChangedAt(createdAt).lastUpdateAt(createdAt)
                .project(DEFAULT_PROJECT).status(TaskStatus.CREATED);
    }

    /** A builder holding every field of this task. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id; b.name = name; b.project = project; b.type = type; b.owner = owner; b.status = status;
        b.tags = new TreeSet<>(tags); b.systemTags = new TreeSet<>(systemTags);
        b.createdAt = createdAt; b.startedAt = startedAt; b.endedAt = endedAt; b.statusChangedAt = statusChangedAt;
        b.lastUpdateAt = lastUpdateAt; b.archivedAt = archivedAt; b.resultsRetrievedAt = resultsRetrievedAt;
        b.parentId = parentId; b.inputModels = inputModels; b.queue = queue; b.spec = spec;
        b.submittedOptions = submittedOptions; b.workerId = workerId; b.leaseExpiresAt = leaseExpiresAt;
        b.exitCode = exitCode; b.error = error; b.params = new TreeMap<>(params); b.deletingSince = deletingSince;
        b.version = version;
        return b;
    }

    /**
     * A copy moved to {@code newStatus} at {@code at}: {@code statusChangedAt} moves only when the
     * status really changes, {@code lastUpdateAt} always moves.
     */
    public Task withStatus(TaskStatus newStatus, Instant at) {
        Builder b = toBuilder().status(newStatus).lastUpdateAt(at);
        if (newStatus != status) {
            b.statusChangedAt(at);
        }
        return b.build();
    }

    /** Mutable builder for {@link Task}. */
    public static final class Builder {
        private String id, name, project, type, owner, parentId, queue, spec, workerId, error;
        private TaskStatus status;
        private Set<String> tags = new TreeSet<>(), systemTags = new TreeSet<>();
        private Instant createdAt, startedAt, endedAt, statusChangedAt, lastUpdateAt, archivedAt, resultsRetrievedAt,
                leaseExpiresAt, deletingSince;
        private List<String> inputModels = List.of();
        private JobOptions submittedOptions = JobOptions.UNSET;
        private Integer exitCode;
        private Map<String, String> params = new TreeMap<>();
        private long version;

        private Builder() {
        }

        public Builder id(String v) { id = v; return this; }
        public Builder name(String v) { name = v; return this; }
        public Builder project(String v) { project = v; return this; }
        public Builder type(String v) { type = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder status(TaskStatus v) { status = v; return this; }
        public Builder tags(Set<String> v) { tags = v; return this; }
        public Builder systemTags(Set<String> v) { systemTags = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder startedAt(Instant v) { startedAt = v; return this; }
        public Builder endedAt(Instant v) { endedAt = v; return this; }
        public Builder statusChangedAt(Instant v) { statusChangedAt = v; return this; }
        public Builder lastUpdateAt(Instant v) { lastUpdateAt = v; return this; }
        public Builder archivedAt(Instant v) { archivedAt = v; return this; }
        public Builder resultsRetrievedAt(Instant v) { resultsRetrievedAt = v; return this; }
        public Builder parentId(String v) { parentId = v; return this; }
        public Builder inputModels(List<String> v) { inputModels = v; return this; }
        public Builder queue(String v) { queue = v; return this; }
        public Builder spec(String v) { spec = v; return this; }
        public Builder submittedOptions(JobOptions v) { submittedOptions = v; return this; }
        public Builder workerId(String v) { workerId = v; return this; }
        public Builder leaseExpiresAt(Instant v) { leaseExpiresAt = v; return this; }
        public Builder exitCode(Integer v) { exitCode = v; return this; }
        public Builder error(String v) { error = v; return this; }
        public Builder params(Map<String, String> v) { params = v; return this; }
        public Builder deletingSince(Instant v) { deletingSince = v; return this; }
        public Builder version(long v) { version = v; return this; }

        public Task build() {
            return new Task(id, name, project, type, owner, status, new TreeSet<>(tags), new TreeSet<>(systemTags),
                    createdAt, startedAt, endedAt, statusChangedAt, lastUpdateAt, archivedAt, resultsRetrievedAt,
                    parentId, inputModels, queue, spec, submittedOptions, workerId, leaseExpiresAt, exitCode, error,
                    new TreeMap<>(params), deletingSince, version);
        }
    }
}
