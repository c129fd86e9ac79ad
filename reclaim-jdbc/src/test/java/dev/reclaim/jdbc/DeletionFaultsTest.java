package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.delete.DeleterSettings;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.testkit.SettableClock;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Deletion under storage faults (failing and hanging deletes) and fsck's detection and repair. */
class DeletionFaultsTest {
    @TempDir
    Path tmp;
    SettableClock clock;
    FaultyArtifactStore faulty;
    JdbcTaskStore tasks;
    Reclaim reclaim;

    @BeforeEach
    void open() {
        clock = new SettableClock();
        tasks = JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
        faulty = new FaultyArtifactStore(FileArtifactStore.open(tmp.resolve("artifacts")));
        reclaim = Reclaim.builder().taskStore(tasks).artifactStore(faulty).clock(clock).stagingRoot(tmp.resolve("staging"))
                .deleterSettings(new DeleterSettings(1000, 3, Duration.ofSeconds(1), Duration.ofMinutes(5), Duration.ofMillis(300)))
                .sleeper(d -> clock.advance(d)).build();
    }

    @AfterEach
    void close() {
        faulty.heal();
        reclaim.close();
    }

    private List<Task> archivedTasks(int n, int files) throws Exception {
        List<Task> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Task t = reclaim.tasks().create(NewTask.draft("t" + i));
            for (int f = 0; f < files; f++) {
                Path p = Files.writeString(tmp.resolve("f"), "content " + i + "/" + f);
                reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "f" + f, p);
            }
            out.add(t);
        }
        reclaim.tasks().archive(out.stream().map(Task::id).toList());
        clock.advance(Duration.ofDays(31));
        return out;
    }

    private FsckReport fsck() {
        return reclaim.fsck().check();
    }

    @Test
    void failingDeletesAreRetriedAndTheRestOfTheRunGoesOn() throws Exception {
        archivedTasks(20, 5);
        faulty.failEvery = 7;
        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, CleanupListener.NONE);
        // retries within the run heal most keys: each key fails at most once in 7 calls
        assertThat(run.deleted()).isEqualTo(20);
        assertThat(fsck().consistent()).isTrue();
        assertThat(tasks.pendingDeletes(100)).isEmpty();
    }

    @Test
    void deletesThatKeepFailingAreReportedWithTheirReasonAndNothingIsLost() throws Exception {
        List<Task> created = archivedTasks(10, 3);
        faulty.failEvery = 1;
        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, CleanupListener.NONE);
        assertThat(run.failed()).isEqualTo(10);
        assertThat(run.items()).allSatisfy(i -> assertThat(i.rule()).contains("injected failure"));
        assertThat(tasks.pendingDeletes(100)).hasSize(30).allSatisfy(p -> {
            assertThat(p.attempts()).isEqualTo(3);
            assertThat(p.lastError()).contains("injected failure");
        });
        FsckReport stuck = fsck();
        assertThat(stuck.orphanCount()).isZero();
        assertThat(stuck.danglingCount()).isZero();
        assertThat(stuck.stuckDeletions()).hasSize(10);
        // the store heals; the next run resumes and finishes every deletion
        faulty.heal();
        clock.advance(Duration.ofMinutes(1));
        reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, CleanupListener.NONE);
        assertThat(created).allSatisfy(t -> assertThat(tasks.findTask(t.id())).isEmpty());
        assertThat(fsck().consistent()).isTrue();
    }

    @Test
    void aHangingStoreFailsTheBatchInsteadOfTheRun() throws Exception {
        archivedTasks(3, 2);
        faulty.hang = true;
        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.defaults(), null, CleanupListener.NONE);
        assertThat(run.failed()).isEqualTo(3);
        assertThat(run.items()).allSatisfy(i -> assertThat(i.rule()).contains("did not answer"));
        faulty.heal();
        clock.advance(Duration.ofMinutes(10));
        reclaim.deleter().resume(DeletionListener.NONE);
        assertThat(fsck().consistent()).isTrue();
    }

    @Test
    void fsckFindsAndRepairsAnOrphanObjectADanglingRecordAndAStuckDeletion() throws Exception {
        List<Task> created = archivedTasks(2, 2);
        // a key in the folder of one of this store's tasks: an orphan, not someone else's object
        String orphan = "tasks/" + created.get(1).id() + "/artifacts/orphan.bin";
        faulty.putBytes(orphan, new byte[]{1});
        var victim = tasks.artifactsOf(created.get(0).id()).get(0);
        faulty.delete(victim.storageKey());
        FsckReport found = fsck();
        assertThat(found.orphans()).containsExactly(orphan);
        assertThat(found.dangling()).singleElement().asString().contains(victim.id());
        assertThat(found.consistent()).isFalse();
        assertThat(faulty.stat(orphan)).isPresent();
        FsckReport repaired = reclaim.fsck().repair();
        assertThat(repaired.consistent()).isTrue();
        assertThat(faulty.stat(orphan)).isEmpty();
        assertThat(tasks.findArtifact(victim.id())).isEmpty();
        assertThat(tasks.artifactsOf(created.get(1).id())).hasSize(2);
    }
}
