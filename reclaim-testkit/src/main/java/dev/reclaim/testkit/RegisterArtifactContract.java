package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactCatalog.Registration;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.StorageKeys;
import dev.reclaim.store.TaskStore;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task store's part of registering an object in place ({@link dev.reclaim.store.ArtifactCatalog#registerArtifact}):
 * one transaction that judges the task, the name and the deletion queue, then inserts a LIVE
 * record. Every backend's tiny subclass runs it against a fresh, empty store.
 */
public abstract class RegisterArtifactContract {
    private static final String KEY = StorageKeys.mounted("ckpt", "runs/7/model.pt");

    protected SettableClock clock;
    protected TestTasks a;
    protected TaskStore store;

    /** A fresh, empty store, used by one test and closed after it. */
    protected abstract TaskStore newStore();

    @BeforeEach
    void openStore() {
        clock = new SettableClock();
        a = new TestTasks(clock);
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    private Task task(String name) {
        Task t = a.aTask(name).build();
        store.insertTask(t);
        return store.findTask(t.id()).orElseThrow();
    }

    private Artifact model(Task t, String key) {
        return a.aModel(t.id(), key, 42);
    }

    private MarkResult markWhole(Task t) {
        Task now = store.findTask(t.id()).orElseThrow();
        return store.markForDeletion(DeletionMark.wholeTask(now.id(), now.version()).because("tested", "tester",
                clock.instant()));
    }

    @Test
    void aRegisteredObjectBecomesALiveRecordOfItsTaskWithItsKey() {
        Task t = task("t");
        Artifact m = model(t, KEY);

        assertThat(store.registerArtifact(m, List.of())).isEqualTo(Registration.REGISTERED);

        assertThat(store.findArtifact(m.id())).hasValueSatisfying(found -> {
            assertThat(found.state()).isEqualTo(ArtifactState.LIVE);
            assertThat(found.storageKey()).isEqualTo(KEY);
            assertThat(found.sizeBytes()).isEqualTo(42);
            assertThat(found.sha256()).isNull();
        });
        assertThat(store.isReferencedByLiveArtifact(KEY)).isTrue();
    }

    @Test
    void aTaskThatIsMissingOrBeingDeletedRegistersNothing() {
        Task gone = a.aTask("never stored").build();
        Task deleting = task("deleting");
        markWhole(deleting);

        assertThat(store.registerArtifact(model(gone, KEY), List.of())).isEqualTo(Registration.TASK_NOT_LIVE);
        Artifact refused = model(deleting, KEY);
        assertThat(store.registerArtifact(refused, List.of())).isEqualTo(Registration.TASK_NOT_LIVE);

        assertThat(store.findArtifact(refused.id())).isEmpty();
        assertThat(store.isReferencedByLiveArtifact(KEY)).isFalse();
    }

    @Test
    void aNameTheTaskHasIsRefusedUnlessItsHolderIsReplaced() {
        Task t = task("t");
        Artifact first = model(t, KEY);
        store.registerArtifact(first, List.of());
        Artifact sameName = new Artifact(a.nextId(), t.id(), ArtifactKind.MODEL, first.name(),
                StorageKeys.mounted("ckpt", "runs/8/model.pt"), 7, clock.instant(), false, ArtifactState.LIVE);

        assertThat(store.registerArtifact(sameName, List.of())).isEqualTo(Registration.NAME_TAKEN);
        assertThat(store.findArtifact(sameName.id())).isEmpty();

        assertThat(store.registerArtifact(sameName, List.of(first.id()))).isEqualTo(Registration.REGISTERED);
        Artifact otherKind = new Artifact(a.nextId(), t.id(), ArtifactKind.ARTIFACT, first.name(), KEY, 42,
                clock.instant(), false, ArtifactState.LIVE);
        assertThat(store.registerArtifact(otherKind, List.of())).as("names are per kind").isEqualTo(Registration.REGISTERED);
    }

    @Test
    void aKeyQueuedForDeletionIsRefused() {
        Task t = task("t");
        assertThat(store.enqueueOrphans(List.of(KEY), clock.instant())).isEqualTo(1);

        Artifact m = model(t, KEY);
        assertThat(store.registerArtifact(m, List.of())).isEqualTo(Registration.KEY_QUEUED);

        assertThat(store.findArtifact(m.id())).isEmpty();
    }

    @Test
    void aKeyQueuedWithItsTasksDeletionIsRefused() {
        Task owner = task("owner");
        store.registerArtifact(model(owner, KEY), List.of());
        assertThat(markWhole(owner).outcome()).isEqualTo(MarkResult.Outcome.MARKED);

        Task t = task("t");
        Artifact m = model(t, KEY);
        assertThat(store.registerArtifact(m, List.of())).isEqualTo(Registration.KEY_QUEUED);
        assertThat(store.findArtifact(m.id())).isEmpty();
    }

    @Test
    void anObjectRegisteredInTwoTasksIsQueuedOnlyWhenTheLastOfThemIsMarked() {
        Task first = task("first");
        Task second = task("second");
        assertThat(store.registerArtifact(model(first, KEY), List.of())).isEqualTo(Registration.REGISTERED);
        assertThat(store.registerArtifact(model(second, KEY), List.of())).isEqualTo(Registration.REGISTERED);

        assertThat(markWhole(first).queuedKeys()).doesNotContain(KEY);
        assertThat(markWhole(second).queuedKeys()).containsExactly(KEY);
    }

    @Test
    void aModelRegisteredInAPublishedTaskIsPublished() {
        Task t = a.aTask("published").status(TaskStatus.PUBLISHED).build();
        store.insertTask(t);
        Artifact m = model(t, KEY);

        assertThat(store.registerArtifact(m, List.of())).isEqualTo(Registration.REGISTERED);

        assertThat(store.findArtifact(m.id()).orElseThrow().published()).isTrue();
    }

    @Test
    void aRecordThatIsNotLiveOrHasNoValidKeyIsRefused() {
        Task t = task("t");
        Artifact pending = model(t, KEY).withState(ArtifactState.PENDING);
        Artifact badStore = model(t, ".reclaim-stores/Not_A_Name/x");
        Artifact badKey = model(t, ".reclaim-stores/ckpt/../x");

        for (Artifact refused : List.of(pending, badStore, badKey)) {
            assertThatThrownBy(() -> store.registerArtifact(refused, List.of())).as(refused.storageKey())
                    .isInstanceOf(InvalidArgumentException.class);
            assertThat(store.findArtifact(refused.id())).isEmpty();
        }
    }

    @Test
    void noUploadIsEverAnnouncedIntoANamedStore() {
        Task t = task("t");
        Artifact pending = a.aPendingArtifact(t.id(), ArtifactKind.MODEL, KEY, 1);

        assertThatThrownBy(() -> store.insertArtifacts(List.of(pending))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("never writes");
        assertThat(store.findArtifact(pending.id())).isEmpty();
    }
    @Test
    void aBatchJudgesEachRecordAsOneRegistrationAndInsertsTheOthers() {
        Task t = task("t");
        Task deleting = task("deleting");
        Artifact existing = model(t, KEY);
        store.registerArtifact(existing, List.of());
        markWhole(deleting);
        String queuedKey = StorageKeys.mounted("ckpt", "queued.pt");
        store.enqueueOrphans(List.of(queuedKey), clock.instant());
        Artifact ok = live(t, "a.pt", "runs/a.pt");
        Artifact nameTaken = live(t, existing.name(), "runs/other.pt");
        Artifact taskGoing = live(deleting, "b.pt", "runs/b.pt");
        Artifact queued = live(t, "q.pt", "queued.pt");
        Artifact sameNameInBatch = live(t, "a.pt", "runs/a-again.pt");
        Artifact sharedKey = live(t, "shared.pt", "runs/a.pt");

        List<Registration> outcomes = store.registerArtifacts(List.of(ok, nameTaken, taskGoing, queued, sameNameInBatch,
                sharedKey));

        assertThat(outcomes).containsExactly(Registration.REGISTERED, Registration.NAME_TAKEN, Registration.TASK_NOT_LIVE,
                Registration.KEY_QUEUED, Registration.NAME_TAKEN, Registration.REGISTERED);
        assertThat(store.findArtifact(ok.id())).isPresent();
        assertThat(store.findArtifact(sharedKey.id())).isPresent();
        for (Artifact refused : List.of(nameTaken, taskGoing, queued, sameNameInBatch)) {
            assertThat(store.findArtifact(refused.id())).as(refused.name()).isEmpty();
        }
    }

    @Test
    void aBatchWithARecordThatIsNotLiveInsertsNothing() {
        Task t = task("t");
        Artifact ok = live(t, "a.pt", "runs/a.pt");
        Artifact pending = live(t, "b.pt", "runs/b.pt").withState(ArtifactState.PENDING);

        assertThatThrownBy(() -> store.registerArtifacts(List.of(ok, pending))).isInstanceOf(InvalidArgumentException.class);

        assertThat(store.findArtifact(ok.id())).isEmpty();
    }

    @Test
    void aModelOfABatchInAPublishedTaskIsPublished() {
        Task t = a.aTask("published").status(TaskStatus.PUBLISHED).build();
        store.insertTask(t);
        Artifact m = live(t, "m.pt", "m.pt");

        assertThat(store.registerArtifacts(List.of(m))).containsExactly(Registration.REGISTERED);

        assertThat(store.findArtifact(m.id()).orElseThrow().published()).isTrue();
    }

    @Test
    void anImportedTaskIsFoundAgainByItsImportKeyAndNeverInsertedTwice() {
        Task first = a.aTask("run-1").build();
        Task second = a.aTask("run-2").build();

        Map<String, String> ids = store.insertImportedTasks(Map.of("ckpt/0/run-1", first, "ckpt/0/run-2", second));
        Task again = a.aTask("run-1 again").build();
        Task third = a.aTask("run-3").build();
        Map<String, String> later = store.insertImportedTasks(Map.of("ckpt/0/run-1", again, "ckpt/0/run-3", third));

        assertThat(ids).containsEntry("ckpt/0/run-1", first.id()).containsEntry("ckpt/0/run-2", second.id());
        assertThat(later).containsEntry("ckpt/0/run-1", first.id()).containsEntry("ckpt/0/run-3", third.id());
        assertThat(store.findTask(again.id())).isEmpty();
        assertThat(store.findTask(third.id())).isPresent();
        assertThat(store.importedTasks(List.of("ckpt/0/run-1", "ckpt/0/run-3", "ckpt/0/never")))
                .containsOnlyKeys("ckpt/0/run-1", "ckpt/0/run-3");
    }

    private Artifact live(Task t, String name, String key) {
        return new Artifact(a.nextId(), t.id(), ArtifactKind.MODEL, name, StorageKeys.mounted("ckpt", key), 7,
                clock.instant(), false, ArtifactState.LIVE);
    }
}
