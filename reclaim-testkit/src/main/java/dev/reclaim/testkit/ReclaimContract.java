package dev.reclaim.testkit;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.delete.Sleeper;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    /** How the instance waits; advancing the clock unless a test puts another in place. */
    protected volatile Sleeper sleeper;

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

    /** Adds what a suite needs to the instance's builder (an executor, say); as given by default. */
    protected Reclaim.Builder configure(Reclaim.Builder builder) {
        return builder;
    }

    /** A task archived {@code daysAgo} days before now, with one artifact of {@code bytes} bytes. */
    protected Task archivedTask(String name, String project, TaskStatus status, double daysAgo, int bytes) throws Exception {
        Instant now = clock.instant();
        clock.advance(Duration.ofMillis(-Math.round(daysAgo * 86_400_000)));
        Task t = reclaim.tasks().create(new NewTask(name, project, null, status == TaskStatus.PUBLISHED ? TaskStatus.COMPLETED : status,
                Set.of(), null, Map.of()));
        Path f = Files.write(tmp.resolve(name + ".bin"), new byte[bytes]);
        reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "out.bin", f);
        if (status == TaskStatus.PUBLISHED) {
            reclaim.tasks().publish(t.id());
        }
        reclaim.tasks().archive(List.of(t.id()));
        clock.set(now);
        return reclaim.tasks().get(t.id());
    }

    @BeforeEach
    void buildReclaim() {
        clock = new SettableClock(clockStart());
        sleeper = d -> clock.advance(d);
        tasks = newTaskStore(tmp);
        artifacts = newArtifactStore(tmp);
        Reclaim.Builder builder = Reclaim.builder().taskStore(tasks).artifactStore(artifacts).clock(clock)
                .stagingRoot(tmp.resolve("staging"))
                .deleterSettings(new DeleterSettings(1000, 3, Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(30)))
                .sleeper(d -> sleeper.sleep(d))
                .workerSettings(new WorkerSettings(workerSlots(), Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(100),
                        Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1)));
        reclaim = configure(builder).build();
    }

    @AfterEach
    void closeReclaim() {
        reclaim.close();
    }
}
