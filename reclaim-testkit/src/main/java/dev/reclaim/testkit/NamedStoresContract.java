package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.RefusedException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.RootRefusedException;
import dev.reclaim.store.StorageKeys;
import dev.reclaim.store.TaskStore;
import dev.reclaim.tasks.AddedArtifact;
import dev.reclaim.tasks.BatchItemException;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.NewReference;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Registering in place (docs/rules.md section 7): objects that already exist in a named artifact
 * store are recorded as artifacts without being copied; only registered objects are ever deleted,
 * and the rest of the store is reported as unmanaged and left alone. Each test starts with a store
 * {@code ckpt} holding three objects put there by hand, added to a fresh task store, and an instance
 * opened with it. A backend supplies the stores: folders or bucket prefixes, a task store and its
 * twins.
 */
public abstract class NamedStoresContract {
    /** The data a person had in the store before adding it: key and size. */
    protected static final String RUN_1 = "runs/1/model.pt";
    protected static final String RUN_2 = "runs/2/model.pt";
    protected static final String NOTES = "notes.txt";

    @TempDir
    protected Path tmp;
    protected SettableClock clock;
    protected Reclaim reclaim;

    /** A fresh, empty task store. */
    protected abstract TaskStore newTaskStore(Path tmp);

    /** A new handle on the fixture's task store (the same database). */
    protected abstract TaskStore sameTaskStore(Path tmp);

    /** Another task store, with an identity of its own. */
    protected abstract TaskStore otherTaskStore(Path tmp);

    /** A handle on the default artifact root: the same location at every call, empty at first. */
    protected abstract ArtifactStore defaultRoot(Path tmp);

    /**
     * A handle on the location of the named store {@code name}: the same location at every call with
     * the same name, none inside another's or the default root's; empty at first.
     */
    protected abstract ArtifactStore namedStore(Path tmp, String name);

    /** Removes the marker of the named store's location by hand. */
    protected abstract void removeMarker(String name);

    /** Writes {@code text} under the marker's name at the named store's location, by hand. */
    protected abstract void writeMarkerText(String name, String text);

    @BeforeEach
    void addTheStoreAndOpen() {
        clock = new SettableClock();
        try (ArtifactStore byHand = namedStore(tmp, "ckpt")) {
            byHand.putBytes(RUN_1, new byte[100]);
            byHand.putBytes(RUN_2, new byte[50]);
            byHand.putBytes(NOTES, new byte[]{1, 2, 3});
        }
        TaskStore tasks = newTaskStore(tmp);
        try (ArtifactStore ckpt = namedStore(tmp, "ckpt")) {
            assertThat(ArtifactRoots.adopt(tasks, "ckpt", ckpt, clock)).isEqualTo(ArtifactRoots.Adoption.MARKED);
        } catch (RuntimeException e) {
            tasks.close();
            throw e;
        }
        reclaim = open(tasks, "ckpt");
    }

    @AfterEach
    void closeReclaim() {
        if (reclaim != null) {
            reclaim.close();
        }
    }

    /** An instance on {@code tasks} with the default root and these named stores; closes them all if refused. */
    protected Reclaim open(TaskStore tasks, String... storeNames) {
        ArtifactStore root = defaultRoot(tmp);
        List<ArtifactStore> opened = new ArrayList<>(List.of(root));
        try {
            Reclaim.Builder b = Reclaim.builder().taskStore(tasks).artifactStore(root).clock(clock)
                    .stagingRoot(tmp.resolve("staging-" + Ids.next(clock.instant())));
            for (String name : storeNames) {
                ArtifactStore s = namedStore(tmp, name);
                opened.add(s);
                b.store(name, s);
            }
            return b.build();
        } catch (RuntimeException e) {
            opened.forEach(ArtifactStore::close);
            tasks.close();
            throw e;
        }
    }

    protected Task task(String name) {
        return reclaim.tasks().create(NewTask.draft(name));
    }

    protected AddedArtifact register(Task t, String name, String store, String key) {
        return reclaim.tasks().registerArtifact(t.id(), ArtifactKind.MODEL, name, store, key, false);
    }

    /** What is at the named store's location, by its own keys, sorted. */
    protected List<String> keysIn(String name) {
        try (ArtifactStore s = namedStore(tmp, name)) {
            return keys(s);
        }
    }

    protected List<String> keysInDefaultRoot() {
        try (ArtifactStore s = defaultRoot(tmp)) {
            return keys(s);
        }
    }

    private static List<String> keys(ArtifactStore s) {
        List<String> keys = new ArrayList<>();
        s.list("", (ObjectInfo o) -> keys.add(o.key()));
        keys.sort(null);
        return keys;
    }

    private boolean delete(Task t) {
        return reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS).deleted();
    }

    // ---- registering -------------------------------------------------------------------------

    @Test
    void aRegisteredObjectIsListedWithItsSizeAndIsNotCopied() throws Exception {
        Task t = task("t");

        Artifact a = register(t, "model.pt", "ckpt", RUN_1).artifact();

        assertThat(reclaim.tasks().liveArtifacts(t.id())).singleElement().satisfies(live -> {
            assertThat(live.storageKey()).isEqualTo(StorageKeys.mounted("ckpt", RUN_1));
            assertThat(live.sizeBytes()).isEqualTo(100);
            assertThat(live.sha256()).as("Reclaim did not write it").isNull();
        });
        try (InputStream in = reclaim.tasks().open(a)) {
            assertThat(in.readAllBytes()).hasSize(100);
        }
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_1, RUN_2);
        assertThat(keysInDefaultRoot()).as("nothing was copied").isEmpty();
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void deletingItsTaskDeletesExactlyTheRegisteredObjectAndNothingElseInThatStore() {
        Task t = task("t");
        register(t, "model.pt", "ckpt", RUN_1);

        assertThat(delete(t)).isTrue();

        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_2);
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void unregisteredObjectsOfANamedStoreAreReportedUnmanagedAndNeverDeletedByFsckRepairOrTheCleanupService() {
        Task old = task("old");
        register(old, "model.pt", "ckpt", RUN_1);
        reclaim.tasks().archive(List.of(old.id()));
        clock.advance(Duration.ofDays(3));

        reclaim.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(1).build(), null, CleanupListener.NONE);
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(reclaim.tasks().find(old.id())).isEmpty();
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_2);
        assertThat(repaired.orphanCount()).isZero();
        assertThat(repaired.unmanaged()).containsExactlyInAnyOrder(StorageKeys.mounted("ckpt", NOTES),
                StorageKeys.mounted("ckpt", RUN_2));
        assertThat(repaired.consistent()).isTrue();
    }

    @Test
    void anUnmanagedObjectOfANamedStoreIsDeletedOnlyWhenAPersonNamesIt() {
        assertThat(reclaim.fsck().deleteUnmanaged(List.of(StorageKeys.mounted("ckpt", NOTES)))).isEqualTo(1);

        assertThat(keysIn("ckpt")).containsExactly(RUN_1, RUN_2);
    }

    @Test
    void aKeyOutsideEveryStoreAnUnknownStoreOrAMissingObjectIsRefusedAndChangesNothing() {
        Task t = task("t");
        reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "own.bin", write("own.bin"));
        List<String> rootBefore = keysInDefaultRoot();

        assertThatThrownBy(() -> register(t, "a", "nope", RUN_1)).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("no artifact store named 'nope'").hasMessageContaining("reclaim stores add");
        assertThatThrownBy(() -> register(t, "b", "ckpt", "runs/9/model.pt")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("there is no object 'runs/9/model.pt'");
        assertThatThrownBy(() -> register(t, "c", "ckpt", "../outside.pt")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> register(t, "d", "default", rootBefore.get(0))).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("tasks/ folder");
        try (ArtifactStore byHand = namedStore(tmp, "ckpt")) {
            byHand.putBytes("nested/.reclaim-root", new byte[]{1});
        }
        assertThatThrownBy(() -> register(t, "e", "ckpt", "nested/.reclaim-root")).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("keeps for its own files");

        assertThat(reclaim.tasks().liveArtifacts(t.id())).extracting(Artifact::name).containsExactly("own.bin");
        assertThat(keysIn("ckpt")).containsExactly("nested/.reclaim-root", NOTES, RUN_1, RUN_2);
        assertThat(keysInDefaultRoot()).isEqualTo(rootBefore);
    }

    @Test
    void aNameTakenIsRefusedWithoutReplaceAndReplacingDeletesTheSupersededObject() {
        Task t = task("t");
        Artifact first = register(t, "model.pt", "ckpt", RUN_1).artifact();

        assertThatThrownBy(() -> register(t, "model.pt", "ckpt", RUN_2)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("already has a model 'model.pt'");
        assertThat(reclaim.tasks().liveArtifacts(t.id())).containsExactly(first);

        AddedArtifact replaced = reclaim.tasks().registerArtifact(t.id(), ArtifactKind.MODEL, "model.pt", "ckpt", RUN_2, true);
        assertThat(replaced.superseded()).extracting(Artifact::id).containsExactly(first.id());
        assertThat(reclaim.tasks().liveArtifacts(t.id())).extracting(Artifact::storageKey)
                .containsExactly(StorageKeys.mounted("ckpt", RUN_2));
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_2);
    }

    @Test
    void aBatchRegistersEveryObjectWithItsMetricsOrNoneAndReplacesLikeASingleRegistration() {
        Task t = task("t");
        Task other = task("other");
        Artifact first = register(t, "model.pt", "ckpt", RUN_1).artifact();

        assertThatThrownBy(() -> reclaim.tasks().registerArtifacts(List.of(
                new NewReference(other.id(), ArtifactKind.MODEL, "a.pt", "ckpt", RUN_1, Map.of("val_loss", 0.5), false),
                new NewReference(other.id(), ArtifactKind.MODEL, "A.pt", "ckpt", RUN_2, Map.of(), false))))
                .isInstanceOfSatisfying(BatchItemException.class, e -> assertThat(e.index()).isEqualTo(1))
                .hasMessageStartingWith("item 1: ");
        assertThatThrownBy(() -> reclaim.tasks().registerArtifacts(List.of(
                new NewReference(other.id(), ArtifactKind.MODEL, "a.pt", "ckpt", RUN_1, Map.of(), false),
                new NewReference(t.id(), ArtifactKind.MODEL, "model.pt", "ckpt", RUN_2, Map.of(), false))))
                .isInstanceOfSatisfying(BatchItemException.class, e -> assertThat(e.refused()).isTrue());
        assertThat(reclaim.tasks().liveArtifacts(other.id())).as("nothing of a refused batch").isEmpty();

        List<AddedArtifact> added = reclaim.tasks().registerArtifacts(List.of(
                new NewReference(other.id(), ArtifactKind.MODEL, "a.pt", "ckpt", RUN_1, Map.of("val_loss", 0.5), false),
                new NewReference(t.id(), ArtifactKind.MODEL, "model.pt", "ckpt", RUN_2, Map.of("val_loss", 0.25), true)));

        assertThat(added.get(1).superseded()).extracting(Artifact::id).containsExactly(first.id());
        assertThat(reclaim.tasks().metricsOf(added.stream().map(a -> a.artifact().id()).toList())).isEqualTo(Map.of(
                added.get(0).artifact().id(), Map.of("val_loss", 0.5), added.get(1).artifact().id(), Map.of("val_loss", 0.25)));
        assertThat(keysIn("ckpt")).as("RUN_1 is still named by the other task's artifact").containsExactly(NOTES, RUN_1, RUN_2);
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void aKeyQueuedForDeletionCannotBeRegistered() {
        Task t = task("t");
        String key = StorageKeys.mounted("ckpt", NOTES);
        // what fsck --delete-unmanaged does before it purges: the key is queued, its deletion not yet done
        assertThat(reclaim.taskStore().enqueueOrphans(List.of(key), clock.instant())).isEqualTo(1);

        assertThatThrownBy(() -> register(t, "notes", "ckpt", NOTES)).isInstanceOf(RefusedException.class)
                .hasMessageContaining("is being deleted");

        assertThat(reclaim.tasks().liveArtifacts(t.id())).isEmpty();
        reclaim.deleter().purge(null, DeletionListener.NONE);
        assertThat(keysIn("ckpt")).containsExactly(RUN_1, RUN_2);
    }

    @Test
    void anObjectRegisteredInTwoTasksIsKeptUntilTheLastTaskGoes() {
        Task first = task("first");
        Task second = task("second");
        register(first, "model.pt", "ckpt", RUN_1);
        Artifact kept = register(second, "model.pt", "ckpt", RUN_1).artifact();

        assertThat(delete(first)).isTrue();
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_1, RUN_2);
        assertThat(reclaim.tasks().liveArtifacts(second.id())).containsExactly(kept);

        assertThat(delete(second)).isTrue();
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_2);
    }

    @Test
    void anObjectSomeonePutInTheDefaultRootOutsideTasksCanBeRegisteredAndGoesWithItsTask() {
        reclaim.artifactStore().putBytes("imports/weights.bin", new byte[7]);
        Task t = task("t");

        Artifact a = register(t, "weights.bin", "default", "imports/weights.bin").artifact();

        assertThat(a.storageKey()).isEqualTo("imports/weights.bin");
        assertThat(a.sizeBytes()).isEqualTo(7);
        assertThat(delete(t)).isTrue();
        assertThat(keysInDefaultRoot()).doesNotContain("imports/weights.bin");
    }

    @Test
    void putsToAMountedKeyAreRefused() {
        assertThatThrownBy(() -> reclaim.artifactStore().putBytes(StorageKeys.mounted("ckpt", "new.bin"), new byte[1]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("never writes into a registered store");

        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_1, RUN_2);
    }

    // ---- adding and opening stores -------------------------------------------------------------

    @Test
    void aStoreWithAnotherTaskStoresMarkerCannotBeAdded() {
        try (TaskStore other = otherTaskStore(tmp); ArtifactStore theirs = namedStore(tmp, "theirs")) {
            assertThat(ArtifactRoots.adopt(other, "theirs", theirs, clock)).isEqualTo(ArtifactRoots.Adoption.MARKED);
        }
        try (ArtifactStore theirs = namedStore(tmp, "theirs")) {
            assertThatThrownBy(() -> ArtifactRoots.adopt(reclaim.taskStore(), "theirs", theirs, clock))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("belongs to another task store");
        }
        assertThat(reclaim.taskStore().artifactRoot("theirs")).isEmpty();
    }

    @Test
    void aStoreNameThatIsTakenOrARootAlreadyAddedIsRefused() {
        try (ArtifactStore data = namedStore(tmp, "data"); ArtifactStore ckpt = namedStore(tmp, "ckpt");
             ArtifactStore root = defaultRoot(tmp)) {
            assertThatThrownBy(() -> ArtifactRoots.adopt(reclaim.taskStore(), "ckpt", data, clock))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("'ckpt' is taken");
            assertThatThrownBy(() -> ArtifactRoots.adopt(reclaim.taskStore(), "again", ckpt, clock))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("already this task store's artifact store 'ckpt'");
            assertThatThrownBy(() -> ArtifactRoots.adopt(reclaim.taskStore(), "root", root, clock))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("default artifact root");
            assertThat(ArtifactRoots.adopt(reclaim.taskStore(), "ckpt", ckpt, clock))
                    .isEqualTo(ArtifactRoots.Adoption.ALREADY_THIS_STORES);
        }
        assertThat(reclaim.taskStore().artifactRoots()).extracting(b -> b.name()).containsExactly("ckpt", "default");
    }

    @Test
    void aNamedStoreWhoseMarkerWasRemovedIsRefusedAtOpen() {
        Task t = task("t");
        register(t, "model.pt", "ckpt", RUN_1);
        reclaim.close();
        reclaim = null;
        removeMarker("ckpt");

        assertThatThrownBy(() -> open(sameTaskStore(tmp), "ckpt")).isInstanceOf(RootRefusedException.class)
                .hasMessageContaining("'ckpt'").hasMessageContaining("no Reclaim marker");

        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_1, RUN_2);
    }

    @Test
    void aNamedStoreWhoseMarkerWasReplacedIsRefusedAtOpen() {
        String storeId = reclaim.taskStore().storeId();
        reclaim.close();
        reclaim = null;
        writeMarkerText("ckpt", RootMarker.claim(storeId, clock.instant()).toJson());

        assertThatThrownBy(() -> open(sameTaskStore(tmp), "ckpt")).isInstanceOf(RootRefusedException.class)
                .hasMessageContaining("'ckpt'").hasMessageContaining("marker was replaced");
    }

    @Test
    void aStoreThatWasNeverAddedIsRefusedAtOpenAndNotClaimed() {
        reclaim.close();
        reclaim = null;

        assertThatThrownBy(() -> open(sameTaskStore(tmp), "ckpt", "fresh")).isInstanceOf(RootRefusedException.class)
                .hasMessageContaining("no artifact store named 'fresh' was added");

        try (ArtifactStore fresh = namedStore(tmp, "fresh")) {
            assertThat(fresh.readRootMarker()).isEmpty();
        }
    }

    @Test
    void anInstanceOpenedWithoutAStoreNeverTakesItsObjectsForMissing() {
        Task t = task("t");
        register(t, "model.pt", "ckpt", RUN_1);
        reclaim.close();
        reclaim = open(sameTaskStore(tmp));

        FsckReport report = reclaim.fsck().repair();

        assertThat(report.danglingCount()).isZero();
        assertThat(report.uncheckedCount()).isEqualTo(1);
        assertThat(reclaim.tasks().liveArtifacts(t.id())).hasSize(1);
        assertThat(keysIn("ckpt")).containsExactly(NOTES, RUN_1, RUN_2);
    }

    private Path write(String name) {
        try {
            return Files.write(tmp.resolve(name), new byte[]{9});
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
