package dev.reclaim.testkit;

import dev.reclaim.StoreException;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An artifact store that cannot answer is not an empty one (docs/rules.md invariant 2): fsck calls a
 * record dangling only when the store said its object is absent. A record whose object could not be
 * checked is reported as unchecked, fsck is not consistent, and a repair never forgets it. Run
 * against every task store, with an artifact store the subclass can make unreachable.
 */
public abstract class UnreachableStoreContract extends ReclaimContract {

    /** From now on the fixture's artifact store cannot answer: its server stopped, its bucket went away. */
    protected abstract void makeStoreUnreachable();

    private Artifact anArtifact(String name) throws Exception {
        Task t = reclaim.tasks().create(NewTask.draft(name));
        Path f = Files.writeString(tmp.resolve(name + ".bin"), name);
        return reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "out.bin", f);
    }

    private List<String> liveRecords() {
        return tasks.liveArtifactsAfter(null, 100).stream().map(Artifact::id).toList();
    }

    @Test
    void recordsWhoseObjectsCannotBeCheckedAreReportedUncheckedNeverDangling() throws Exception {
        Artifact a = anArtifact("a");
        Artifact b = anArtifact("b");
        makeStoreUnreachable();

        FsckReport found = reclaim.fsck().check();

        assertThat(found.danglingCount()).isZero();
        assertThat(found.uncheckedCount()).isEqualTo(2);
        assertThat(found.unchecked()).hasSize(2)
                .anySatisfy(u -> assertThat(u).startsWith(a.id() + " (" + a.storageKey() + "): "))
                .anySatisfy(u -> assertThat(u).startsWith(b.id() + " (" + b.storageKey() + "): "));
        assertThat(found.storeProblems()).as("the listing failed too").isNotEmpty();
        assertThat(found.consistent()).isFalse();
    }

    @Test
    void aRepairOnAStoreThatCannotAnswerForgetsNoRecord() throws Exception {
        Artifact a = anArtifact("a");
        Artifact b = anArtifact("b");
        makeStoreUnreachable();

        FsckReport repaired = null;
        try {
            repaired = reclaim.fsck().repair();
        } catch (StoreException e) {
            // refusing to repair a root it cannot read is as good as repairing nothing
        }

        assertThat(liveRecords()).containsExactlyInAnyOrder(a.id(), b.id());
        if (repaired != null) {
            assertThat(repaired.danglingCount()).isZero();
            assertThat(repaired.consistent()).isFalse();
        }
    }

    @Test
    void aStoreThatKeepsFailingIsNoLongerAskedAndTheRestCountAsUnchecked() throws Exception {
        for (int i = 0; i < 25; i++) {
            anArtifact("t" + i);
        }
        makeStoreUnreachable();

        FsckReport found = reclaim.fsck().check();

        assertThat(found.recordsScanned()).isEqualTo(25);
        assertThat(found.uncheckedCount()).isEqualTo(25);
        assertThat(found.danglingCount()).isZero();
        assertThat(found.unchecked()).filteredOn(u -> u.contains("not asked: the artifact store failed for the 20 records"))
                .hasSize(5);
    }
}
