package dev.reclaim.jdbc.stateful;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.SettableClock;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One sequence's Reclaim process and what survives it: the task store's data, the artifact root
 * and a settable clock. The process reaches its stores through a {@link Fuse}; when it dies, the
 * next one opens new stores on the same data. The checks read through the real stores of the
 * process alive now, never through the fuse.
 */
final class World implements AutoCloseable {
    /** How long a restart takes: past the cleanup lease, the queue claims and the abandoned-upload grace period. */
    static final Duration RESTART_TAKES = Duration.ofMinutes(61);

    final Path dir;
    final Place place;
    final SettableClock clock = new SettableClock(SettableClock.DEFAULT_START);
    final Fuse fuse = new Fuse();
    private final Backend backend;
    private TaskStore realTasks;
    private ArtifactStore realArtifacts;
    private Reclaim reclaim;
    int restarts;

    World(Backend backend, Path dir) {
        this.backend = backend;
        this.dir = dir;
        this.place = backend.place(dir);
        start(backend.create(dir));
    }

    private void start(TaskStore tasks) {
        realTasks = tasks;
        realArtifacts = place.open();
        fuse.reset();
        reclaim = Reclaim.builder().taskStore(fuse.wrap(TaskStore.class, realTasks))
                .artifactStore(fuse.wrap(ArtifactStore.class, realArtifacts)).clock(clock)
                .stagingRoot(dir.resolve("staging"))
                .deleterSettings(new DeleterSettings(1000, 3, Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(30)))
                .sleeper(clock::advance)
                .workerSettings(new WorkerSettings(1, Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(100),
                        Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1)))
                .build();
    }

    /** The process alive now. */
    Reclaim reclaim() {
        return reclaim;
    }

    /** The task store, read directly by the checks. */
    TaskStore tasks() {
        return realTasks;
    }

    /** The artifact store, read directly by the checks. */
    ArtifactStore artifacts() {
        return realArtifacts;
    }

    /** The process died: what it left is all there is; a new one starts a while later on the same data. */
    void restart() {
        fuse.blow(fuse.blown() ? fuse.where() : "a restart between steps");
        try {
            reclaim.close();
        } catch (Throwable ignored) {
            // a dead process closes nothing in order; its stores are closed below as the system would
        }
        closeQuietly();
        clock.advance(RESTART_TAKES);
        restarts++;
        start(backend.reopen(dir));
    }

    private void closeQuietly() {
        try {
            realArtifacts.close();
        } catch (RuntimeException ignored) {
            // already closed by the process
        }
        try {
            realTasks.close();
        } catch (RuntimeException ignored) {
            // already closed by the process
        }
    }

    @Override
    public void close() {
        fuse.disarm();
        try {
            reclaim.close();
        } catch (Throwable ignored) {
            // a dead process's stores are closed below
        }
        closeQuietly();
    }
}
