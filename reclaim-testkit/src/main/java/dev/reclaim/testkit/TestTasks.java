package dev.reclaim.testkit;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Test data builders for tasks and artifacts. Every id is made one millisecond after the previous
 * one (the clock moves), so ids sort in creation order and tests can rely on "oldest by id".
 */
public final class TestTasks {
    /** Project of the tasks built here unless changed. */
    public static final String PROJECT = "tests";

    private final SettableClock clock;

    /** Builders whose ids and times come from {@code clock}. */
    public TestTasks(SettableClock clock) {
        this.clock = clock;
    }

    /** A new id ordered after every id made before; moves the clock 1 ms. */
    public String nextId() {
        clock.advance(Duration.ofMillis(1));
        return Ids.next(clock.instant());
    }

    /** A draft (CREATED) task in project {@value #PROJECT}, owned by alice, type training. */
    public Task.Builder aTask(String name) {
        String id = nextId();
        return Task.builder(id, name, clock.instant()).project(PROJECT).owner("alice").type("training");
    }

    /** A task archived at {@code archivedAt} (system tag {@code archived}). */
    public Task.Builder anArchivedTask(String name, Instant archivedAt) {
        return aTask(name).systemTags(Set.of(Task.ARCHIVED)).archivedAt(archivedAt);
    }

    /** A job QUEUED on {@code queue}. */
    public Task.Builder aQueuedJob(String name, String queue) {
        return aTask(name).type("job").status(TaskStatus.QUEUED).queue(queue).spec("{\"kind\":\"command\",\"argv\":[\"true\"]}");
    }

    /** A LIVE artifact of {@code kind} under {@code key}. */
    public Artifact anArtifact(String taskId, ArtifactKind kind, String key, long sizeBytes) {
        return new Artifact(nextId(), taskId, kind, key.substring(key.lastIndexOf('/') + 1), key, sizeBytes,
                clock.instant(), false, ArtifactState.LIVE);
    }

    /** A LIVE, unpublished model. */
    public Artifact aModel(String taskId, String key, long sizeBytes) {
        return anArtifact(taskId, ArtifactKind.MODEL, key, sizeBytes);
    }

    /** A PENDING artifact (registered, upload not finished). */
    public Artifact aPendingArtifact(String taskId, ArtifactKind kind, String key, long sizeBytes) {
        return anArtifact(taskId, kind, key, sizeBytes).withState(ArtifactState.PENDING);
    }
}
