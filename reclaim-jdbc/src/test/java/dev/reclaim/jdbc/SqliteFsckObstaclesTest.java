package dev.reclaim.jdbc;

import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.testkit.ReclaimContract;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Something in the way of a key is no proof that its object is gone. The filesystem store never
 * follows links, so an object moved to another disk and linked back (its file, or its task's whole
 * folder) reads as no object; fsck lists such records as unchecked, saying what is in the way, and a
 * repair keeps them. Only a key with nothing at it is dangling.
 */
class SqliteFsckObstaclesTest extends ReclaimContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    private Artifact anArtifact(String name) throws Exception {
        Task t = reclaim.tasks().create(NewTask.draft(name));
        Path f = Files.writeString(tmp.resolve(name + ".bin"), name);
        return reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "out.bin", f);
    }

    @Test
    void objectsMovedElsewhereAndLinkedBackAreUncheckedAndKeptOnlyMissingOnesAreDangling() throws Exception {
        Path root = tmp.resolve("artifacts");
        Path otherDisk = Files.createDirectories(tmp.resolve("other-disk"));
        Artifact folderMoved = anArtifact("folder-moved");
        Artifact fileMoved = anArtifact("file-moved");
        Artifact fileOnPath = anArtifact("file-on-path");
        Artifact gone = anArtifact("gone");
        Path taskFolder = root.resolve("tasks/" + folderMoved.taskId());
        Files.move(taskFolder, otherDisk.resolve(folderMoved.taskId()));
        Files.createSymbolicLink(taskFolder, otherDisk.resolve(folderMoved.taskId()));
        Path file = root.resolve(fileMoved.storageKey());
        Files.move(file, otherDisk.resolve("file-moved.bin"));
        Files.createSymbolicLink(file, otherDisk.resolve("file-moved.bin"));
        Path itsTaskFolder = root.resolve("tasks/" + fileOnPath.taskId());
        Files.move(itsTaskFolder, otherDisk.resolve("task-folder"));
        Files.writeString(itsTaskFolder, "someone's file where a folder was");
        Files.delete(root.resolve(gone.storageKey()));

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.dangling()).singleElement().asString().startsWith(gone.id());
        assertThat(found.uncheckedCount()).isEqualTo(3);
        assertThat(found.unchecked())
                .anySatisfy(u -> assertThat(u).startsWith(folderMoved.id()).contains("symbolic link"))
                .anySatisfy(u -> assertThat(u).startsWith(fileMoved.id()).contains("symbolic link"))
                .anySatisfy(u -> assertThat(u).startsWith(fileOnPath.id()).contains("is a file"));
        assertThat(found.consistent()).isFalse();
        assertThat(repaired.danglingCount()).isZero();
        assertThat(repaired.uncheckedCount()).isEqualTo(3);
        assertThat(tasks.liveArtifactsAfter(null, 10)).extracting(Artifact::id)
                .containsExactlyInAnyOrder(folderMoved.id(), fileMoved.id(), fileOnPath.id());
        assertThat(otherDisk.resolve(folderMoved.taskId() + "/artifacts/out.bin")).hasContent("folder-moved");
        assertThat(otherDisk.resolve("file-moved.bin")).hasContent("file-moved");
        assertThat(otherDisk.resolve("task-folder/artifacts/out.bin")).hasContent("file-on-path");
        assertThat(itsTaskFolder).hasContent("someone's file where a folder was");
    }

    @Test
    void aRepairNeverDropsARecordOnAnAbsenceItMadeItself() throws Exception {
        Path root = tmp.resolve("artifacts");
        Artifact blocked = anArtifact("blocked");
        Path kindFolder = root.resolve(blocked.storageKey()).getParent();
        Files.move(kindFolder, tmp.resolve("moved-away"));
        // a file where the folder was: in the task's folder and named by no record, so an orphan
        Files.writeString(kindFolder, "x");

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.unchecked()).singleElement().asString().startsWith(blocked.id()).contains("is a file");
        assertThat(found.orphans()).containsExactly("tasks/" + blocked.taskId() + "/artifacts");
        assertThat(tasks.findArtifact(blocked.id())).as("checked before the orphan went: unchecked, so kept").isPresent();
        assertThat(repaired.dangling()).as("reported for the next repair to act on").singleElement().asString()
                .startsWith(blocked.id());
        assertThat(repaired.consistent()).isFalse();
    }
}
