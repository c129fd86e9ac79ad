package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.PendingDelete;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link dev.reclaim.store.ArtifactCatalog} rules: artifacts belong to a live task, a key is
 * never written twice, what was stored is recorded, and only live artifacts count.
 */
public abstract class ArtifactCatalogContract extends TaskStoreFixture {
    @Test
    void insertedArtifactsAreListedByIdInEveryState() {
        Task t = insert(a.aTask("t"));
        Artifact model = a.aModel(t.id(), "t/model", 1).withPublished(true);
        Artifact pending = a.aPendingArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/debug.png", 2);
        Artifact log = a.anArtifact(t.id(), ArtifactKind.LOG, "t/log.txt", 3);
        store.insertArtifacts(List.of(log, model, pending));
        assertThat(store.artifactsOf(t.id())).containsExactly(model, pending, log);
        assertThat(store.findArtifact(pending.id())).contains(pending);
        assertThat(store.findArtifact("unknown")).isEmpty();
        assertThat(store.artifactsOf(insert(a.aTask("empty")).id())).isEmpty();
    }

    @Test
    void liveArtifactsComeAPageAtATimeByIdWithoutPendingOnes() {
        Task t = insert(a.aTask("t"));
        Artifact pending = a.aPendingArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/pending.png", 2);
        List<Artifact> live = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            live.add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a" + i, 1));
        }
        List<Artifact> all = new ArrayList<>(live);
        all.add(pending);
        store.insertArtifacts(all);
        List<Artifact> byId = live.stream().sorted(Comparator.comparing(Artifact::id)).toList();

        assertThat(store.liveArtifactsOf(t.id(), null, 2)).containsExactlyElementsOf(byId.subList(0, 2));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(1).id(), 2)).containsExactlyElementsOf(byId.subList(2, 4));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(3).id(), 2)).containsExactly(byId.get(4));
        assertThat(store.liveArtifactsOf(t.id(), byId.get(4).id(), 2)).isEmpty();
        assertThat(store.liveArtifactsOf(insert(a.aTask("empty")).id(), null, 10)).isEmpty();
    }

    @Test
    void anArtifactForAMissingTaskIsRefusedAndNothingIsInserted() {
        Task t = insert(a.aTask("t"));
        Artifact fine = a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/fine", 1);
        Artifact orphan = a.anArtifact("no-such-task", ArtifactKind.ARTIFACT, "x/orphan", 1);
        assertThatThrownBy(() -> store.insertArtifacts(List.of(fine, orphan)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("no-such-task");
        assertThat(store.artifactsOf(t.id())).isEmpty();
    }

    @Test
    void anArtifactForATaskBeingDeletedIsRefused() {
        Task t = insert(a.aTask("t"));
        store.markForDeletion(whole(t));
        assertThatThrownBy(() -> add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/late", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("being deleted");
    }

    @Test
    void anArtifactWhoseKeyIsQueuedForDeletionIsRefused() {
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/key", 1));
        store.markForDeletion(whole(doomed));
        Task other = insert(a.aTask("other"));
        Artifact fine = a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "other/fine", 1);
        Artifact reuse = a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "shared/key", 1);
        assertThatThrownBy(() -> store.insertArtifacts(List.of(fine, reuse)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("shared/key");
        assertThat(store.artifactsOf(other.id())).isEmpty();
    }

    @Test
    void anArtifactWhoseKeyAWholeTaskEntryStandsForIsRefusedUntilTheEntryIsDone() {
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "doomed/key", 1));
        store.markAllForDeletion(List.of(whole(doomed)));
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey)
                .containsExactly(PendingDelete.wholeTaskKey(doomed.id()));
        Task other = insert(a.aTask("other"));

        assertThatThrownBy(() -> add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "doomed/key", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("doomed/key")
                .hasMessageContaining("queued for deletion with its task");
        assertThat(store.artifactsOf(other.id())).isEmpty();
        // once the object is gone the key may be used again
        purge(List.of(doomed.id()));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "doomed/key", 1));
        assertThat(store.artifactsOf(other.id())).hasSize(1);
    }

    @Test
    void anArtifactWithAnUnsafeStorageKeyIsRefused() {
        Task t = insert(a.aTask("t"));
        assertThatThrownBy(() -> add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "../outside", 1)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(store.artifactsOf(t.id())).isEmpty();
    }

    // ---- writes never replace stored bytes; what was stored is recorded -------------------------

    @Test
    void aPendingArtifactWhoseKeyALiveArtifactHasIsRefused() {
        Task t = insert(a.aTask("t"));
        Artifact live = add(a.aModel(t.id(), "t/models/best.ckpt", 10));
        Task other = insert(a.aTask("other"));

        assertThatThrownBy(() -> add(a.aPendingArtifact(other.id(), ArtifactKind.MODEL, "t/models/best.ckpt", 20)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/models/best.ckpt")
                .hasMessageContaining(live.id());
        assertThatThrownBy(() -> add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/models/best.ckpt", 20)))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(store.artifactsOf(other.id())).isEmpty();
        assertThat(store.artifactsOf(t.id())).containsExactly(live);
    }

    @Test
    void aPendingArtifactWhoseKeyAnotherPendingArtifactHasIsRefusedInOneCallToo() {
        Task t = insert(a.aTask("t"));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        Artifact one = a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 1);
        Artifact two = a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 1);

        assertThatThrownBy(() -> add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/a");
        assertThatThrownBy(() -> store.insertArtifacts(List.of(one, two)))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("t/b");
        assertThat(store.artifactsOf(t.id())).hasSize(1);
    }

    @Test
    void aLiveArtifactMayReferenceAKeyAnotherRecordHasDeliberately() {
        Task t = insert(a.aTask("t"));
        Task other = insert(a.aTask("other"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/shared", 3));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/uploading", 3));

        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "t/shared", 3));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, "t/uploading", 3));

        assertThat(store.artifactsOf(other.id())).hasSize(2);
    }

    @Test
    void activatingArtifactsRecordsTheStoredSizeAndChecksum() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/x", 5));
        String sha = Sha256.of("seven b".getBytes(StandardCharsets.UTF_8));

        assertThat(store.activateAdded(t.id(), pending.id(), new StoredObject(7, sha), List.of()))
                .isEqualTo(ArtifactCatalog.Activation.ACTIVATED);

        Artifact live = store.findArtifact(pending.id()).orElseThrow();
        assertThat(live.state()).isEqualTo(ArtifactState.LIVE);
        assertThat(live.sizeBytes()).isEqualTo(7);
        assertThat(live.sha256()).isEqualTo(sha);
        assertThat(store.activateAdded(t.id(), pending.id(), new StoredObject(9, sha), List.of()))
                .isEqualTo(ArtifactCatalog.Activation.NOT_PENDING);
        assertThat(store.findArtifact(pending.id()).orElseThrow().sizeBytes()).isEqualTo(7);
    }

    @Test
    void aChecksumGivenAtInsertIsKeptAndArtifactsWithoutOneReadBackWithNone() {
        Task t = insert(a.aTask("t"));
        String sha = Sha256.of(new byte[3]);
        Artifact with = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/with", 3).withContent(new StoredObject(3, sha)));
        Artifact without = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/without", 3));

        assertThat(store.findArtifact(with.id()).orElseThrow().sha256()).isEqualTo(sha);
        assertThat(store.findArtifact(without.id()).orElseThrow().sha256()).isNull();
        assertThat(store.liveArtifactsAfter(null, 10)).extracting(Artifact::sha256).containsExactly(sha, null);
    }

    @Test
    void pendingArtifactsRegisteredBeforeACutoffAreListedOldestFirst() {
        Task t = insert(a.aTask("t"));
        Artifact oldest = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/1", 1));
        Artifact older = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/2", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/live", 1));
        Instant cutoff = clock.instant().plusMillis(1);
        clock.advance(Duration.ofMinutes(1));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/recent", 1));

        assertThat(store.pendingArtifactsBefore(cutoff, 10)).containsExactly(oldest, older);
        assertThat(store.pendingArtifactsBefore(cutoff, 1)).containsExactly(oldest);
    }

    @Test
    void droppingAPendingArtifactRemovesThatRecordOnlyAndQueuesNothing() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/p", 1));
        Artifact live = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/l", 1));

        assertThat(store.dropPendingArtifact(live.id())).isFalse();
        assertThat(store.dropPendingArtifact(pending.id())).isTrue();
        assertThat(store.dropPendingArtifact(pending.id())).isFalse();

        assertThat(store.artifactsOf(t.id())).containsExactly(live);
        assertThat(store.pendingDeletes(10)).isEmpty();
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/p", 1)); // the key is free again
    }

    // ---- references, publishing and sizes -------------------------------------------------------

    @Test
    void theLiveTasksUsingAModelAsInputAreListed() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 1));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));
        Task gone = insert(a.aTask("gone").inputModels(List.of(model.id())));
        store.markForDeletion(whole(gone));

        assertThat(store.liveTasksUsingInput(model.id())).containsExactly(user.id());
        assertThat(store.liveTasksUsingInput("no-such-artifact")).isEmpty();
    }

    @Test
    void onlyLiveArtifactsCanBePublished() {
        Task t = insert(a.aTask("t"));
        Artifact live = add(a.aModel(t.id(), "t/live", 1));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/pending", 1));
        assertThat(store.setArtifactPublished(live.id(), true)).isTrue();
        assertThat(store.findArtifact(live.id())).get().extracting(Artifact::published).isEqualTo(true);
        assertThat(store.setArtifactPublished(live.id(), false)).isTrue();
        assertThat(store.findArtifact(live.id())).get().extracting(Artifact::published).isEqualTo(false);
        assertThat(store.setArtifactPublished(pending.id(), true)).isFalse();
        assertThat(store.setArtifactPublished("unknown", true)).isFalse();
    }

    @Test
    void onlyLiveArtifactsCountAsReferences() {
        Task t = insert(a.aTask("t"));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "k/pending", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "k/live", 1));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "k/deleting", 1));
        store.markForDeletion(whole(doomed));
        assertThat(store.isReferencedByLiveArtifact("k/live")).isTrue();
        assertThat(store.isReferencedByLiveArtifact("k/pending")).isFalse();
        assertThat(store.isReferencedByLiveArtifact("k/deleting")).isFalse();
        assertThat(store.isReferencedByLiveArtifact("k/unknown")).isFalse();
    }

    @Test
    void liveBytesAddUpOnlyLiveArtifactsForEveryAskedTask() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "b/model", 100));
        add(a.anArtifact(t.id(), ArtifactKind.LOG, "b/log", 20));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "b/pending", 7));
        Task empty = insert(a.aTask("empty"));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "b/deleting", 5));
        store.markForDeletion(whole(doomed));

        assertThat(store.liveBytesOf(List.of(t.id(), empty.id(), doomed.id(), "no-such-task")))
                .containsExactlyInAnyOrderEntriesOf(Map.of(t.id(), 120L, empty.id(), 0L, doomed.id(), 0L, "no-such-task", 0L));
        assertThat(store.liveBytesOf(List.of())).isEmpty();
    }
}
