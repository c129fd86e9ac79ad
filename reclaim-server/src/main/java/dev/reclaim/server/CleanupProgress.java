package dev.reclaim.server;

import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.Clock;
import java.time.Instant;

/**
 * The progress of one run started by {@code POST /cleanup/run} on this server, fed by the run's
 * {@link CleanupListener} hooks as it goes, read by {@code GET /cleanup/progress} while the run's
 * request is still waiting for its report. Thread-safe: the run writes, any request reads.
 */
final class CleanupProgress implements CleanupListener {
    /** Where a run is. */
    enum Phase {
        /** No run was started by this server since it started. */
        IDLE,
        /** Waiting for the cleanup lease, finishing deletions earlier runs left unfinished. */
        STARTING,
        /** Selecting candidates page by page and deleting them. */
        RUNNING,
        /** Every candidate dealt with: removing abandoned uploads, recording the report. */
        FINISHING,
        /** Ended; the counts are the run's report's. */
        DONE,
        /** Ended with an error; the counts are what it did before. */
        FAILED
    }

    /** Answer of {@code GET /cleanup/progress}. */
    record View(@JsonProperty(required = true) @JsonPropertyDescription("IDLE until this server starts a run") Phase phase,
                @JsonPropertyDescription("the run's id (its report's), once it holds the lease") String runId,
                @JsonPropertyDescription("who started it: the API token's name") String startedBy,
                Instant startedAt, Instant updatedAt, Instant endedAt,
                @JsonProperty(required = true)
                @JsonPropertyDescription("candidates selected so far (pages are selected as the run goes)") long candidates,
                @JsonProperty(required = true)
                @JsonPropertyDescription("true once every candidate is selected, so candidates is the run's total")
                boolean candidatesComplete,
                @JsonProperty(required = true) @JsonPropertyDescription("candidates dealt with so far") long done,
                @JsonProperty(required = true) @JsonPropertyDescription("tasks deleted so far") long deleted,
                @JsonProperty(required = true) long skipped,
                @JsonProperty(required = true) long failed,
                @JsonProperty(required = true) @JsonPropertyDescription("objects freed so far") long objects,
                @JsonProperty(required = true) @JsonPropertyDescription("bytes freed so far") long bytes,
                @JsonPropertyDescription("why the run failed (phase FAILED)") String error) {
    }

    private final Clock clock;
    private final String startedBy;
    private final Instant startedAt;
    private Phase phase;
    private String runId;
    private Instant updatedAt;
    private Instant endedAt;
    private long candidates;
    private boolean candidatesComplete;
    private long done;
    private long deleted;
    private long skipped;
    private long failed;
    private long objects;
    private long bytes;
    private String error;

    private CleanupProgress(Clock clock, Phase phase, String startedBy) {
        this.clock = clock;
        this.phase = phase;
        this.startedBy = startedBy;
        this.startedAt = phase == Phase.IDLE ? null : clock.instant();
        this.updatedAt = startedAt;
    }

    /** Before any run. */
    static CleanupProgress idle(Clock clock) {
        return new CleanupProgress(clock, Phase.IDLE, null);
    }

    /** A run about to ask for the lease. */
    static CleanupProgress starting(Clock clock, String startedBy) {
        return new CleanupProgress(clock, Phase.STARTING, startedBy);
    }

    @Override
    public synchronized void runStarted(String id) {
        runId = id;
        phase = Phase.RUNNING;
        updatedAt = clock.instant();
    }

    @Override
    public synchronized void candidatesSelected(int count) {
        candidates += count;
        updatedAt = clock.instant();
    }

    @Override
    public synchronized void taskDone(CleanupRun.Item item) {
        done++;
        switch (item.outcome()) {
            case DELETED, WOULD_DELETE -> {
                deleted++;
                objects += item.objects();
                bytes += item.bytes();
            }
            case SKIPPED -> skipped++;
            case FAILED -> failed++;
        }
        updatedAt = clock.instant();
    }

    @Override
    public synchronized void passEnded() {
        phase = Phase.FINISHING;
        candidatesComplete = true;
        updatedAt = clock.instant();
    }

    /** The run ended with this report: its figures replace the running counts (they are the same). */
    synchronized void finished(CleanupRun run) {
        phase = Phase.DONE;
        runId = run.id();
        candidates = run.candidates();
        candidatesComplete = true;
        done = run.deleted() + run.skipped() + run.failed();
        deleted = run.deleted();
        skipped = run.skipped();
        failed = run.failed();
        objects = run.objects();
        bytes = run.bytes();
        endedAt = clock.instant();
        updatedAt = endedAt;
    }

    /** The run ended with an error. */
    synchronized void failed(String message) {
        phase = Phase.FAILED;
        error = message;
        endedAt = clock.instant();
        updatedAt = endedAt;
    }

    synchronized View view() {
        return new View(phase, runId, startedBy, startedAt, updatedAt, endedAt, candidates, candidatesComplete, done,
                deleted, skipped, failed, objects, bytes, error);
    }
}
