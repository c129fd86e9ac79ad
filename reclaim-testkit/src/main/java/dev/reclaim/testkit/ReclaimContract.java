package dev.reclaim.testkit;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The fixture every service-level contract suite shares: a {@link Reclaim} built on the
 * subclass's fresh stores, a settable clock that retries advance instead of sleeping, and short
 * worker timings. A backend runs a suite by extending it and supplying the two stores.
 */
public abstract class ReclaimContract {
    @TempDir
    protected Path tmp;
    protected SettableClock clock;
    protected Reclaim reclaim;
    protected TaskStore tasks;
    protected ArtifactStore artifacts;

    /** A fresh, empty metadata store. */
    protected abstract TaskStore newTaskStore(Path tmp);

    /** A fresh, empty object store. */
    protected abstract ArtifactStore newArtifactStore(Path tmp);

    /** Where the settable clock starts. */
    protected Instant clockStart() {
        return SettableClock.DEFAULT_START;
    }

    /** Slots of the in-process worker pool. */
    protected int workerSlots() {
        return 1;
    }

    @BeforeEach
    void buildReclaim() {
        clock = new SettableClock(clockStart());
        tasks = newTaskStore(tmp);
        artifacts = newArtifactStore(tmp);
        reclaim = Reclaim.builder().taskStore(tasks).artifactStore(artifacts).clock(clock)
                .stagingRoot(tmp.resolve("staging"))
                .deleterSettings(new DeleterSettings(1000, 3, Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(30)))
                .sleeper(d -> clock.advance(d))
                .workerSettings(new WorkerSettings(workerSlots(), Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(100),
                        Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1)))
                .build();
    }

    @AfterEach
    void closeReclaim() {
        reclaim.close();
    }
}
