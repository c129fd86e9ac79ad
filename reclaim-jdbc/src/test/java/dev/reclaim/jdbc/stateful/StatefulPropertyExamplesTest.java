package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.stateful.Step.Add;
import dev.reclaim.jdbc.stateful.Step.AddInput;
import dev.reclaim.jdbc.stateful.Step.Archive;
import dev.reclaim.jdbc.stateful.Step.Cleanup;
import dev.reclaim.jdbc.stateful.Step.Create;
import dev.reclaim.jdbc.stateful.Step.CrashAt;
import dev.reclaim.jdbc.stateful.Step.Delete;
import dev.reclaim.jdbc.stateful.Step.Fsck;
import dev.reclaim.jdbc.stateful.Step.Restart;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.tasks.NewTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequences the stateful property found or must never miss, kept as plain examples so they run
 * every time whatever the random generator draws; and proof that each of its checks fails when
 * what it checks is broken behind Reclaim's back (a check that cannot fail proves nothing).
 */
class StatefulPropertyExamplesTest {
    private final SqliteStatefulPropertiesTest sqlite = new SqliteStatefulPropertiesTest();

    @TempDir
    Path tmp;

    @Test
    void aDryRunCountsWhatTheRunDeletesWhenACandidateHasAnUploadAKillLeftBehind() throws Exception {
        // the add dies once its PENDING record is written; the run removes the abandoned upload, so must the preview
        sqlite.holdsFor(List.of(new Create(0, -1), new Archive(0), new CrashAt(5, true), new Add(0, 0, 0, 304, false),
                new Add(0, 2, 0, 453, false), new Cleanup(false, 0, 1, 1, false)));
    }

    @Test
    void aDryRunCountsWhatTheRunDeletesWhenACandidateHasAStoredUploadThatNeverBecameLive() throws Exception {
        // the add dies after the put and before the activation: an object under a PENDING record
        sqlite.holdsFor(List.of(new Create(0, -1), new Archive(0), new CrashAt(7, false), new Add(0, 0, 0, 34, false),
                new Add(0, 1, 0, 99, false), new Cleanup(false, 0, 1, 1, false)));
    }

    @Test
    void aModelUsedByAnotherTaskSurvivesItsProducersDeletionAndGoesWithItsLastUserAcrossACrash() throws Exception {
        sqlite.holdsFor(List.of(new Create(2, -1), new Add(0, 0, 0, 1000, false), new Create(2, -1), new AddInput(1, 0),
                new Archive(0), new Archive(1), new CrashAt(12, false), new Cleanup(true, 0, 1, 1, false), new Restart(),
                new Cleanup(true, 0, 1, 1, false), new Fsck(false)));
    }

    @Test
    void aReplacedArtifactKeepsTheBytesOfEveryRecordThatIsStillLive() throws Exception {
        sqlite.holdsFor(List.of(new Create(0, -1), new Add(0, 1, 0, 10, false), new Add(0, 1, 0, 20, false),
                new CrashAt(9, true), new Add(0, 1, 0, 30, true), new Add(0, 1, 0, 40, true), new Delete(0, false, false),
                new Fsck(true)));
    }

    // ---- the checks fail when what they check is broken ------------------------------------------

    @Test
    void bytesChangedBehindReclaimsBackAreCaught() throws Exception {
        try (World w = new World(sqlite.backend(), tmp)) {
            Reference ref = new Reference();
            Artifact a = addOne(w, ref);
            Files.write(root(w).resolve(a.storageKey()), "tampered".getBytes());

            assertThatThrownBy(() -> Invariants.check(w, ref)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining(a.id()).hasMessageContaining("was added with");
        }
    }

    @Test
    void aLiveRecordWhoseObjectIsGoneIsCaught() throws Exception {
        try (World w = new World(sqlite.backend(), tmp)) {
            Reference ref = new Reference();
            Artifact a = addOne(w, ref);
            Files.delete(root(w).resolve(a.storageKey()));

            assertThatThrownBy(() -> Invariants.check(w, ref)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("has no readable object");
        }
    }

    @Test
    void aForeignFileDeletedOrChangedIsCaught() throws Exception {
        try (World w = new World(sqlite.backend(), tmp)) {
            Reference ref = new Reference();
            w.place.putForeign("mine.txt", "not Reclaim's".getBytes());
            ref.foreignFiles.put("mine.txt", "not Reclaim's".getBytes());
            Invariants.check(w, ref);
            Files.writeString(root(w).resolve("mine.txt"), "changed");

            assertThatThrownBy(() -> Invariants.check(w, ref)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("changed: mine.txt");
            Files.delete(root(w).resolve("mine.txt"));

            assertThatThrownBy(() -> Invariants.check(w, ref)).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("deleted: mine.txt");
        }
    }

    @Test
    void anythingLeftInTheRootAfterEverythingIsDeletedIsFound() throws Exception {
        try (World w = new World(sqlite.backend(), tmp)) {
            Reference ref = new Reference();
            assertThat(Invariants.leftInRoot(w, ref)).isEmpty();
            w.place.putForeign("tasks/x/left.bin", "left behind".getBytes());

            assertThat(Invariants.leftInRoot(w, ref)).containsExactly("tasks/x/left.bin");
        }
    }

    @Test
    void aTaskAProcessDiedWhileDeletingIsFinishedByTheNextAndNothingIsLeft() throws Exception {
        sqlite.holdsFor(List.of(new Create(0, -1), new Add(0, 1, 0, 100, false), new Add(0, 1, 1, 200, false),
                new CrashAt(8, false), new Delete(0, false, false), new Delete(0, false, false)));
    }

    private static Path root(World w) {
        return ((FolderPlace) w.place).root;
    }

    private static Artifact addOne(World w, Reference ref) throws Exception {
        String task = w.reclaim().tasks().create(new NewTask("t", "p", null, null, Set.of(), null, Map.of())).id();
        byte[] bytes = ref.newContent(100);
        Artifact a = w.reclaim().tasks().addArtifact(task, ArtifactKind.ARTIFACT, "a.bin", Files.write(w.dir.resolve("in.bin"), bytes));
        ref.taskIds.add(task);
        ref.added(a.id(), a.kind(), bytes);
        Invariants.check(w, ref);
        return a;
    }
}
