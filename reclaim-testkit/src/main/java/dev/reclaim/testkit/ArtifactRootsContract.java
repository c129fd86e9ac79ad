package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.RootRefusedException;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Who owns an artifact root (docs/rules.md invariant 7): Reclaim deletes only objects it created or
 * registered, in roots it created or was explicitly given and marked; anything else found there is
 * reported, never deleted unless a person names it. Run against every pair of backends.
 */
public abstract class ArtifactRootsContract extends ReclaimContract {

    /** A second, fresh task store with an identity of its own (another database). Closed by the test. */
    protected abstract TaskStore otherTaskStore(Path tmp);

    /** A new handle on the fixture's task store (the same database). Closed by the test. */
    protected abstract TaskStore sameTaskStore(Path tmp);

    /** A new handle on the fixture's artifact root. Closed by the test. */
    protected abstract ArtifactStore sameRoot(Path tmp);

    /** Removes the fixture root's marker by hand, as in a root from before markers. */
    protected abstract void removeMarker();

    /** Writes {@code text} under the marker's name in the fixture root, as another program might. */
    protected abstract void writeMarkerText(String text);

    /** Forgets the fixture task store's root bindings by hand, as in a database from before markers. */
    protected abstract void forgetBindings();

    /** A root no store has used yet, different from the fixture's; {@code name} tells several apart. */
    protected abstract ArtifactStore otherRoot(Path tmp, String name);

    /** A Reclaim instance on these stores, as the fixture builds its own. */
    protected Reclaim open(TaskStore taskStore, ArtifactStore artifactStore) {
        return Reclaim.builder().taskStore(taskStore).artifactStore(artifactStore).clock(clock)
                .stagingRoot(tmp.resolve("staging-" + Ids.next(clock.instant()))).build();
    }

    /** Opens, expecting a refusal; both stores are closed afterwards either way. */
    protected void assertRefused(TaskStore taskStore, ArtifactStore artifactStore, String... messageParts) {
        try {
            assertThatThrownBy(() -> open(taskStore, artifactStore).close())
                    .isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContainingAll(messageParts);
        } finally {
            artifactStore.close();
            taskStore.close();
        }
    }

    protected static List<String> keysIn(ArtifactStore store) {
        List<String> keys = new ArrayList<>();
        store.list("", (ObjectInfo o) -> keys.add(o.key()));
        keys.sort(null);
        return keys;
    }

    protected Artifact anArtifact(String name) throws Exception {
        Task t = reclaim.tasks().create(NewTask.draft(name));
        Path f = Files.writeString(tmp.resolve(name + ".bin"), name);
        return reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "out.bin", f);
    }

    // ---- invariant 7: only Reclaim's own objects are deleted -----------------------------------

    @Test
    void aFileSomeoneDroppedIntoTheRootSurvivesFsckRepairAndIsReportedUnmanaged() throws Exception {
        Artifact kept = anArtifact("a");
        artifacts.putBytes("notes/readme.txt", new byte[]{1, 2, 3});
        artifacts.putBytes("tasks/not-a-task-id/x.bin", new byte[]{4});

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(kept.storageKey(), "notes/readme.txt", "tasks/not-a-task-id/x.bin");
        assertThat(found.orphanCount()).isZero();
        assertThat(found.unmanagedCount()).isEqualTo(2);
        assertThat(found.unmanaged()).containsExactlyInAnyOrder("notes/readme.txt", "tasks/not-a-task-id/x.bin");
        assertThat(found.consistent()).as("unmanaged objects are no inconsistency of Reclaim's").isTrue();
        assertThat(repaired.unmanaged()).containsExactlyInAnyOrder("notes/readme.txt", "tasks/not-a-task-id/x.bin");
    }

    @Test
    void leftoversOfATaskWhoseRecordIsGoneAndObjectsOfALiveTaskWithoutARecordAreRepaired() throws Exception {
        Artifact kept = anArtifact("a");
        Artifact deleted = anArtifact("deleted");
        assertThat(reclaim.tasks().delete(deleted.taskId(), DeleteOptions.DEFAULTS).deleted()).isTrue();
        // as if the deletion had crashed after its record went, leaving an object behind
        artifacts.putBytes(deleted.storageKey(), new byte[]{1});
        String extra = "tasks/" + kept.taskId() + "/artifacts/extra.bin";
        artifacts.putBytes(extra, new byte[]{2});

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.orphans()).containsExactlyInAnyOrder(deleted.storageKey(), extra);
        assertThat(found.unmanagedCount()).isZero();
        assertThat(repaired.consistent()).isTrue();
        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(kept.storageKey());
    }

    @Test
    void objectsOfATaskIdThisStoreNeverKnewAreUnmanagedAndKept() throws Exception {
        Artifact kept = anArtifact("a");
        // as after restoring an older backup of the database, or copying in another store's folder
        String stranger = "tasks/" + Ids.next(clock.instant()) + "/artifacts/lost.bin";
        artifacts.putBytes(stranger, new byte[]{1});

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.orphanCount()).isZero();
        assertThat(found.unmanaged()).containsExactly(stranger);
        assertThat(found.consistent()).isTrue();
        assertThat(repaired.unmanaged()).containsExactly(stranger);
        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(kept.storageKey(), stranger);
        assertThat(reclaim.fsck().deleteUnmanaged(List.of(stranger))).as("a person may delete it").isEqualTo(1);
    }

    @Test
    void nothingOutsideTasksSlashAWellFormedTaskIdIsEverAnOrphan() throws Exception {
        Artifact kept = anArtifact("a");
        String id = kept.taskId();
        List<String> foreign = List.of("readme.txt", "tasks/readme.txt", "tasks/" + Ids.next(clock.instant()), "tasks/" + id.toUpperCase() + "/x.bin",
                "tasks/" + id.substring(1) + "/x.bin", "tasks/" + id + "x/x.bin", "other/" + id + "/x.bin",
                "tasks-old/" + id + "/x.bin", "Tasks/" + id + "/x.bin");
        for (String key : foreign) {
            artifacts.putBytes(key, new byte[]{7});
        }

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.orphanCount()).isZero();
        assertThat(found.unmanaged()).containsExactlyInAnyOrderElementsOf(foreign);
        assertThat(repaired.unmanaged()).containsExactlyInAnyOrderElementsOf(foreign);
        List<String> all = new ArrayList<>(foreign);
        all.add(kept.storageKey());
        assertThat(keysIn(artifacts)).containsExactlyInAnyOrderElementsOf(all);
    }

    @Test
    void anOrphanDeletionAKilledProcessClaimedIsReportedAndRepairFinishesIt() throws Exception {
        Artifact kept = anArtifact("a");
        String lost = "tasks/" + kept.taskId() + "/artifacts/lost.bin";
        artifacts.putBytes(lost, new byte[]{1});
        Process purger = new ProcessBuilder("sleep", "60").start();
        ProcessIdentity gone = ProcessIdentity.of(purger.toHandle());
        purger.destroyForcibly();
        purger.waitFor();
        tasks.enqueueOrphans(List.of(lost), clock.instant());
        assertThat(tasks.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plus(Duration.ofMinutes(5)),
                gone)).hasSize(1);

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.orphanCount()).as("queued, so no orphan").isZero();
        assertThat(found.strandedDeletions()).singleElement().asString()
                .contains("1 queue entry of no task", "pid " + gone.pid(), "it is gone");
        assertThat(found.consistent()).isFalse();
        assertThat(repaired.consistent()).isTrue();
        assertThat(repaired.strandedDeletions()).isEmpty();
        assertThat(keysIn(artifacts)).containsExactly(kept.storageKey());
    }

    @Test
    void anOrphanDeletionQueuedByAProcessKilledBeforeItClaimedItIsReportedAndRepaired() throws Exception {
        Artifact kept = anArtifact("a");
        String lost = "tasks/" + kept.taskId() + "/artifacts/lost.bin";
        artifacts.putBytes(lost, new byte[]{1});
        tasks.enqueueOrphans(List.of(lost), clock.instant()); // and the repair that queued it was killed here

        FsckReport atOnce = reclaim.fsck().check();
        clock.advance(Duration.ofMinutes(10));
        FsckReport later = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(atOnce.strandedDeletions()).as("it may still be claimed by the process that queued it").isEmpty();
        assertThat(later.strandedDeletions()).singleElement().asString()
                .contains("1 queue entry of no task", "no process is working on");
        assertThat(later.consistent()).isFalse();
        assertThat(repaired.consistent()).isTrue();
        assertThat(keysIn(artifacts)).containsExactly(kept.storageKey());
    }

    @Test
    void aPersonCanDeleteAnUnmanagedObjectByNamingIt() throws Exception {
        Artifact kept = anArtifact("a");
        artifacts.putBytes("notes/readme.txt", new byte[]{1});
        artifacts.putBytes("notes/keep.txt", new byte[]{2});

        assertThat(reclaim.fsck().deleteUnmanaged(List.of("notes/readme.txt"))).isEqualTo(1);

        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(kept.storageKey(), "notes/keep.txt");
    }

    @Test
    void anUnmanagedObjectNamedTwiceIsDeletedAndCountedOnce() throws Exception {
        Artifact kept = anArtifact("a");
        artifacts.putBytes("notes/readme.txt", new byte[]{1});

        assertThat(reclaim.fsck().deleteUnmanaged(List.of("notes/readme.txt", "notes/readme.txt"))).isEqualTo(1);

        assertThat(keysIn(artifacts)).containsExactly(kept.storageKey());
    }

    @Test
    void namingAnObjectARecordDescribesOrThatDoesNotExistDeletesNothing() throws Exception {
        Artifact kept = anArtifact("a");
        artifacts.putBytes("notes/readme.txt", new byte[]{1});

        assertThatThrownBy(() -> reclaim.fsck().deleteUnmanaged(List.of("notes/readme.txt", kept.storageKey())))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(kept.storageKey());
        assertThatThrownBy(() -> reclaim.fsck().deleteUnmanaged(List.of("notes/readme.txt", "notes/missing.txt")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("notes/missing.txt");

        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(kept.storageKey(), "notes/readme.txt");
    }

    @Test
    void cleaningUpEverythingLeavesTheForeignObjectsAlone() throws Exception {
        Task old = archivedTask("old", "p", TaskStatus.CREATED, 3, 10);
        artifacts.putBytes("notes/readme.txt", new byte[]{1});

        reclaim.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(1).build(), null, CleanupListener.NONE);
        reclaim.fsck().repair();

        assertThat(tasks.findTask(old.id())).isEmpty();
        assertThat(artifacts.readRootMarker()).as("the marker outlives everything").isPresent();
        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder("notes/readme.txt");
    }

    // ---- defect 5: roots Reclaim does not own are refused --------------------------------------

    @Test
    void anotherTaskStoreIsRefusedThisRootAndNothingIsDeleted() throws Exception {
        Artifact kept = anArtifact("a");
        List<String> before = keysIn(artifacts);

        assertRefused(otherTaskStore(tmp), sameRoot(tmp), "belongs to another task store");

        assertThat(keysIn(artifacts)).isEqualTo(before).contains(kept.storageKey());
    }

    @Test
    void aRootWithObjectsAndNoMarkerIsRefusedAndNothingIsDeleted() {
        ArtifactStore foreign = otherRoot(tmp, "foreign");
        foreign.putBytes("photos/cat.jpg", new byte[]{1});
        foreign.putBytes("tasks/" + Ids.next(clock.instant()) + "/artifacts/x.bin", new byte[]{2});
        List<String> before = keysIn(foreign);
        foreign.close();

        assertRefused(otherTaskStore(tmp), otherRoot(tmp, "foreign"), "not an artifact root Reclaim created", "adopt-root");

        try (ArtifactStore again = otherRoot(tmp, "foreign")) {
            assertThat(keysIn(again)).isEqualTo(before);
        }
    }

    @Test
    void aNewEmptyRootIsClaimedForTheTaskStoreOnFirstOpen() {
        RootMarker marker = RootMarker.parse(artifacts.readRootMarker().orElseThrow()).orElseThrow();

        assertThat(marker.taskStoreId()).isEqualTo(tasks.storeId());
        assertThat(marker.rootId()).isEqualTo(reclaim.artifactRoot().rootId());
        assertThat(tasks.artifactRoot(RootBinding.DEFAULT_NAME)).contains(reclaim.artifactRoot());
        assertThat(reclaim.artifactRoot().location()).isEqualTo(artifacts.describe());
    }

    @Test
    void claimingARootAndWritingToItCreateNoTempFileAtItsTop() throws Exception {
        ArtifactStore watched = otherRoot(tmp, "watched");
        Assumptions.assumeTrue(watched instanceof FileArtifactStore,
                "a store that writes temp files");
        Path top = ((FileArtifactStore) watched).root();
        List<String> created = new ArrayList<>();
        try (WatchService watch = top.getFileSystem().newWatchService();
             TaskStore store = otherTaskStore(tmp)) {
            top.register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            try (Reclaim r = open(store, watched)) {
                Task t = r.tasks().create(NewTask.draft("t"));
                r.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "m.ckpt", Files.writeString(tmp.resolve("m.bin"), "m"));
                r.tasks().delete(t.id(), DeleteOptions.DEFAULTS);
            }
            // events of one folder arrive in order: once the sentinel's has, every earlier one has too
            Files.createFile(top.resolve("sentinel"));
            while (!created.contains("sentinel")) {
                WatchKey key = watch.take();
                key.pollEvents().forEach(e -> created.add(String.valueOf(e.context())));
                key.reset();
            }
            Files.delete(top.resolve("sentinel"));
        } finally {
            watched.close();
        }
        assertThat(created).containsOnly(RootMarker.NAME, "tasks", "sentinel");
    }

    @Test
    void aRootWhoseTopHoldsOnlyAnEmptyTasksFolderIsNewAndClaimed() throws Exception {
        ArtifactStore root = otherRoot(tmp, "half-claimed");
        Assumptions.assumeTrue(root instanceof FileArtifactStore,
                "a store with folders");
        Path top = ((FileArtifactStore) root).root();
        // what a claim killed after making the folder for its marker's temp file leaves
        Files.write(Files.createDirectories(top.resolve("tasks")).resolve(".reclaim-tmp\\00000000000000aa"), new byte[10]);
        try (TaskStore store = otherTaskStore(tmp); Reclaim r = open(store, root)) {
            assertThat(r.artifactRoot().rootId()).isEqualTo(RootMarker.parse(root.readRootMarker().orElseThrow())
                    .orElseThrow().rootId());
        } finally {
            root.close();
        }
    }

    @Test
    void reopeningTheSameStoresUsesTheRootAsItIs() throws Exception {
        Artifact a = anArtifact("a");
        String marker = artifacts.readRootMarker().orElseThrow();

        try (Reclaim again = open(sameTaskStore(tmp), sameRoot(tmp))) {
            assertThat(again.artifactRoot()).isEqualTo(reclaim.artifactRoot());
            assertThat(again.artifactStore().stat(a.storageKey())).isPresent();
        }
        assertThat(artifacts.readRootMarker()).contains(marker);
    }

    @Test
    void aTaskStoreBoundToARootRefusesAnotherEmptyOne() {
        assertRefused(sameTaskStore(tmp), otherRoot(tmp, "empty"), "bound at", reclaim.artifactRoot().rootId());

        try (ArtifactStore empty = otherRoot(tmp, "empty")) {
            assertThat(empty.readRootMarker()).as("a refused root is not claimed").isEmpty();
        }
    }

    @Test
    void aRootFromBeforeMarkersIsAdoptedWhenTheRecordsProveItIsThisStores() throws Exception {
        Artifact a = anArtifact("a");
        removeMarker();
        forgetBindings();

        try (Reclaim again = open(sameTaskStore(tmp), sameRoot(tmp))) {
            assertThat(again.artifactStore().stat(a.storageKey())).isPresent();
            assertThat(again.fsck().check().consistent()).isTrue();
        }
        RootMarker marker = RootMarker.parse(artifacts.readRootMarker().orElseThrow()).orElseThrow();
        assertThat(marker.taskStoreId()).isEqualTo(tasks.storeId());
        assertThat(tasks.artifactRoot(RootBinding.DEFAULT_NAME).orElseThrow().rootId()).isEqualTo(marker.rootId());
    }

    @Test
    void aRootFromBeforeMarkersWithOtherContentWaitsForAPersonToAdoptIt() throws Exception {
        Artifact a = anArtifact("a");
        artifacts.putBytes("notes/readme.txt", new byte[]{1});
        removeMarker();
        forgetBindings();

        assertRefused(sameTaskStore(tmp), sameRoot(tmp), "not an artifact root Reclaim created", "adopt-root");
        assertThat(artifacts.readRootMarker()).isEmpty();

        try (TaskStore t = sameTaskStore(tmp); ArtifactStore r = sameRoot(tmp)) {
            assertThat(ArtifactRoots.adopt(t, r, clock)).isEqualTo(ArtifactRoots.Adoption.MARKED);
        }
        try (Reclaim again = open(sameTaskStore(tmp), sameRoot(tmp))) {
            FsckReport repaired = again.fsck().repair();
            assertThat(repaired.unmanaged()).containsExactly("notes/readme.txt");
        }
        assertThat(keysIn(artifacts)).containsExactlyInAnyOrder(a.storageKey(), "notes/readme.txt");
    }

    @Test
    void aRootWhoseMarkerWasRemovedIsRefusedUntilAPersonAdoptsIt() throws Exception {
        Artifact a = anArtifact("a");
        removeMarker();

        assertRefused(sameTaskStore(tmp), sameRoot(tmp), "has no Reclaim marker", "adopt-root");

        try (TaskStore t = sameTaskStore(tmp); ArtifactStore r = sameRoot(tmp)) {
            assertThat(ArtifactRoots.adopt(t, r, clock)).isEqualTo(ArtifactRoots.Adoption.MARKED);
            assertThat(ArtifactRoots.adopt(t, r, clock)).isEqualTo(ArtifactRoots.Adoption.ALREADY_THIS_STORES);
        }
        try (Reclaim again = open(sameTaskStore(tmp), sameRoot(tmp))) {
            assertThat(again.artifactStore().stat(a.storageKey())).isPresent();
        }
    }

    @Test
    void aMarkerOfThisStoreWithoutABindingIsBound() {
        RootBinding before = reclaim.artifactRoot();
        forgetBindings(); // as after a crash between writing the marker and recording the binding

        try (Reclaim again = open(sameTaskStore(tmp), sameRoot(tmp))) {
            assertThat(again.artifactRoot().rootId()).isEqualTo(before.rootId());
        }
    }

    @Test
    void thePrecheckRefusesWhatOpeningWouldRefuseAndWritesNothing() {
        try (ArtifactStore same = sameRoot(tmp); ArtifactStore empty = otherRoot(tmp, "empty")) {
            ArtifactRoots.precheck(tasks, same, same.describe());
            ArtifactRoots.precheck(null, empty, empty.describe());
            ArtifactRoots.precheck(null, null, "file:/nowhere");
            assertThatThrownBy(() -> ArtifactRoots.precheck(null, same, same.describe()))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("belongs to another task store");
            assertThatThrownBy(() -> ArtifactRoots.precheck(tasks, empty, empty.describe()))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("bound at");
            assertThatThrownBy(() -> ArtifactRoots.precheck(tasks, null, "file:/nowhere"))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("file:/nowhere", "bound at");
            assertThatThrownBy(() -> ArtifactRoots.precheckAdoption(null, same))
                    .isInstanceOf(RootRefusedException.class).hasMessageContaining("delete the marker");
            ArtifactRoots.precheckAdoption(tasks, same);
            assertThat(empty.readRootMarker()).as("nothing is claimed").isEmpty();
        }
    }

    @Test
    void aMarkerReclaimDidNotWriteIsRefused() {
        removeMarker();
        writeMarkerText("not json at all");

        assertRefused(sameTaskStore(tmp), sameRoot(tmp), "not a marker Reclaim wrote");
    }

    @Test
    void adoptingNeverTakesAnotherTaskStoresRoot() {
        String marker = artifacts.readRootMarker().orElseThrow();
        try (TaskStore other = otherTaskStore(tmp); ArtifactStore r = sameRoot(tmp)) {
            assertThatThrownBy(() -> ArtifactRoots.adopt(other, r, clock)).isInstanceOf(RootRefusedException.class)
                    .hasMessageContaining("belongs to another task store");
        }
        assertThat(artifacts.readRootMarker()).contains(marker);
    }

    @Test
    void aRepairRefusesARootWhoseMarkerWentAwayAfterItWasOpened() throws Exception {
        String orphan = "tasks/" + Ids.next(clock.instant()) + "/artifacts/lost.bin";
        artifacts.putBytes(orphan, new byte[]{1});
        removeMarker();

        assertThatThrownBy(() -> reclaim.fsck().repair()).isInstanceOf(RootRefusedException.class);
        assertThatThrownBy(() -> reclaim.fsck().deleteUnmanaged(List.of(orphan))).isInstanceOf(RootRefusedException.class);

        assertThat(keysIn(artifacts)).containsExactly(orphan);
    }

    @Test
    void processesOfOneTaskStoreClaimingANewRootAtOnceAgreeOnIt() throws Exception {
        forgetBindings();
        List<ArtifactStore> handles = new ArrayList<>();
        List<Callable<RootBinding>> claims = new ArrayList<>();
        Set<RootBinding> bound = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 6; i++) {
            ArtifactStore handle = otherRoot(tmp, "race");
            handles.add(handle);
            claims.add(() -> {
                RootBinding b = ArtifactRoots.verify(tasks, handle, clock);
                bound.add(b);
                return b;
            });
        }
        try {
            Concurrently.run(claims);
        } finally {
            handles.forEach(ArtifactStore::close);
        }

        assertThat(bound).singleElement().isEqualTo(tasks.artifactRoot(RootBinding.DEFAULT_NAME).orElseThrow());
        try (ArtifactStore race = otherRoot(tmp, "race")) {
            RootMarker marker = RootMarker.parse(race.readRootMarker().orElseThrow()).orElseThrow();
            assertThat(marker.rootId()).isEqualTo(bound.iterator().next().rootId());
        }
    }

    @Test
    void ofTwoTaskStoresClaimingOneNewRootAtOnceExactlyOneGetsIt() throws Exception {
        List<TaskStore> stores = List.of(otherTaskStore(tmp), otherTaskStore(tmp));
        List<ArtifactStore> handles = List.of(otherRoot(tmp, "contested"), otherRoot(tmp, "contested"));
        Set<String> winners = ConcurrentHashMap.newKeySet();
        AtomicInteger refused = new AtomicInteger();
        List<Callable<Object>> claims = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TaskStore t = stores.get(i);
            ArtifactStore h = handles.get(i);
            claims.add(() -> {
                try {
                    ArtifactRoots.verify(t, h, clock);
                    winners.add(t.storeId());
                } catch (RootRefusedException e) {
                    refused.incrementAndGet();
                }
                return null;
            });
        }
        try {
            Concurrently.run(claims);
            assertThat(winners).hasSize(1);
            assertThat(refused).hasValue(1);
            RootMarker marker = RootMarker.parse(handles.get(0).readRootMarker().orElseThrow()).orElseThrow();
            assertThat(marker.taskStoreId()).isEqualTo(winners.iterator().next());
        } finally {
            handles.forEach(ArtifactStore::close);
            stores.forEach(TaskStore::close);
        }
    }
}
