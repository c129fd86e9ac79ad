package dev.reclaim.testkit;

import dev.reclaim.NotFoundException;
import dev.reclaim.RefusedException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.holds.Holds;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.HoldStore.Hold;
import dev.reclaim.store.HoldStore.Target;
import dev.reclaim.store.MarkResult;
import dev.reclaim.tasks.ArtifactDeleteResult;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Holds and artifact-level deletion (docs/rules.md, "Holds" and "Deleting single artifacts"): a
 * task or artifact on hold is deleted by no Cleanup Service run and no delete without force, each
 * hold re-checked where the deletion is marked; a delete with force releases the holds it
 * overrides, audited; single artifacts are deleted with the task rules.
 */
public abstract class HoldsContract extends ReclaimContract {

    private Artifact attach(Task t, ArtifactKind kind, String name, int bytes) {
        try {
            Path f = Files.write(Files.createTempFile(tmp, "in", ".bin"), new byte[bytes]);
            return reclaim.tasks().addArtifact(t.id(), kind, name, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Task completed(String name) {
        return reclaim.tasks().create(new NewTask(name, "p", null, TaskStatus.COMPLETED, Set.of(), null, Map.of()));
    }

    private CleanupRun cleanup(boolean dryRun) {
        return reclaim.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(1).forceDelete(true).dryRun(dryRun)
                .build(), null, CleanupListener.NONE);
    }

    private boolean stored(Artifact a) {
        return artifacts.stat(a.storageKey()).isPresent();
    }

    private List<String> auditActions(String taskId) {
        return tasks.audit(100).stream().filter(r -> r.taskId().equals(taskId)).map(AuditRecord::action).toList();
    }

    @Test
    void aTaskOnHoldIsNotACleanupCandidateAndDeleteWithoutForceRefusesIt() throws Exception {
        Task held = archivedTask("held", "p", TaskStatus.COMPLETED, 10, 100);
        Task free = archivedTask("free", "p", TaskStatus.COMPLETED, 10, 100);

        assertThat(reclaim.holds().holdTask(held.id(), "paper deadline")).isTrue();
        CleanupRun run = cleanup(false);
        DeleteResult refused = reclaim.tasks().delete(held.id(), DeleteOptions.DEFAULTS);

        assertThat(run.items()).extracting(CleanupRun.Item::taskId).containsExactly(free.id());
        assertThat(refused.deleted()).isFalse();
        assertThat(refused.needsForce()).isTrue();
        assertThat(refused.error()).contains("on hold").contains("reclaim tasks release " + held.id());
        assertThat(reclaim.tasks().get(held.id()).systemTags()).contains(Task.HOLD);
        assertThat(auditActions(held.id())).containsExactly("hold");
    }

    @Test
    void aDeleteWithForceReleasesTheHoldItOverridesAndAuditsBoth() throws Exception {
        Task t = archivedTask("held", "p", TaskStatus.COMPLETED, 10, 100);
        Artifact a = reclaim.tasks().liveArtifacts(t.id()).get(0);
        reclaim.holds().holdTask(t.id(), "keep");
        reclaim.holds().holdArtifact(t.id(), a.id(), "keep too");

        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS.forced(true));

        assertThat(r.deleted()).as(String.valueOf(r.error())).isTrue();
        assertThat(stored(a)).isFalse();
        assertThat(reclaim.holds().list(null, 10).holds()).isEmpty();
        assertThat(auditActions(t.id())).containsExactly("delete-task", "release-artifact", "release", "hold-artifact", "hold");
    }

    @Test
    void aHeldArtifactKeepsItsTaskFromTheCleanupServiceWhichSaysWhyInTheDryRunAndTheRun() throws Exception {
        Task t = archivedTask("t", "p", TaskStatus.COMPLETED, 11, 100); // the older, so listed first
        Task other = archivedTask("other", "p", TaskStatus.COMPLETED, 10, 100);
        Artifact a = reclaim.tasks().liveArtifacts(t.id()).get(0);
        reclaim.holds().holdArtifact(t.id(), a.id(), "the good run");

        CleanupRun dry = cleanup(true);
        CleanupRun run = cleanup(false);

        assertThat(dry.items()).extracting(CleanupRun.Item::taskId, CleanupRun.Item::outcome).containsExactly(
                tuple(t.id(), CleanupRun.Outcome.SKIPPED),
                tuple(other.id(), CleanupRun.Outcome.WOULD_DELETE));
        assertThat(run.items()).extracting(CleanupRun.Item::taskId, CleanupRun.Item::outcome).containsExactly(
                tuple(t.id(), CleanupRun.Outcome.SKIPPED),
                tuple(other.id(), CleanupRun.Outcome.DELETED));
        assertThat(run.items().get(0).rule()).contains("artifact " + a.id()).contains("on hold");
        assertThat(stored(a)).isTrue();
    }

    @Test
    void holdingGivesTheTaskANewVersionSoADeletionDecidedBeforeIsRefusedAsChanged() throws Exception {
        Task t = archivedTask("t", "p", TaskStatus.COMPLETED, 10, 100);
        Artifact a = reclaim.tasks().liveArtifacts(t.id()).get(0);

        reclaim.holds().holdArtifact(t.id(), a.id(), null);
        MarkResult stale = tasks.markForDeletion(DeletionMark.wholeTask(t.id(), t.version())
                .because("decided before the hold", "test", clock.instant()));
        MarkResult fresh = tasks.markForDeletion(DeletionMark.wholeTask(t.id(), reclaim.tasks().get(t.id()).version())
                .because("decided after the hold", "test", clock.instant()));

        assertThat(stale.outcome()).isEqualTo(MarkResult.Outcome.CHANGED);
        assertThat(fresh.outcome()).isEqualTo(MarkResult.Outcome.REFUSED);
        assertThat(fresh.reason()).contains("on hold");
        assertThat(stored(a)).isTrue();
    }

    @Test
    void holdsAreListedOldestFirstAPageAtATimeAndReleasing() throws Exception {
        Task t1 = completed("one");
        Task t2 = completed("two");
        Artifact a = attach(t2, ArtifactKind.MODEL, "best.pt", 10);
        reclaim.holds().holdTask(t1.id(), "first");
        clock.advance(Duration.ofSeconds(1));
        reclaim.holds().holdArtifact(t2.id(), a.id(), "second");
        clock.advance(Duration.ofSeconds(1));
        reclaim.holds().holdTask(t2.id(), "third");

        Holds.Page page = reclaim.holds().list(null, 2);
        List<Hold> first = page.holds();
        List<Hold> rest = reclaim.holds().list(page.nextCursor(), 2).holds();

        assertThat(first).extracting(Hold::target, Hold::id, Hold::reason).containsExactly(
                tuple(Target.TASK, t1.id(), "first"),
                tuple(Target.ARTIFACT, a.id(), "second"));
        assertThat(first.get(1).taskId()).isEqualTo(t2.id());
        assertThat(first.get(1).name()).isEqualTo("best.pt");
        assertThat(rest).extracting(Hold::id).containsExactly(t2.id());
        assertThat(reclaim.holds().list(page.nextCursor(), 2).nextCursor()).isNull();
        assertThat(reclaim.holds().holdTask(t1.id(), "again")).isFalse();
        assertThat(reclaim.holds().releaseTask(t1.id(), "done")).isTrue();
        assertThat(reclaim.holds().releaseTask(t1.id(), "done")).isFalse();
        assertThat(reclaim.tasks().get(t1.id()).systemTags()).doesNotContain(Task.HOLD);
        assertThat(reclaim.holds().list(null, 10).holds()).extracting(Hold::id).containsExactly(a.id(), t2.id());
        assertThatThrownBy(() -> reclaim.holds().holdTask("no-such-task", null)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("reclaim tasks list");
        assertThatThrownBy(() -> reclaim.holds().holdArtifact(t1.id(), a.id(), null)).isInstanceOf(NotFoundException.class)
                .hasMessageContaining("not an artifact of task " + t1.id());
    }

    @Test
    void anArtifactIsDeletedAloneItsBytesFreedAndItsTaskKept() {
        Task t = completed("t");
        Artifact debug = attach(t, ArtifactKind.DEBUG_SAMPLE, "sample.png", 300);
        Artifact log = attach(t, ArtifactKind.LOG, "train.log", 20);

        ArtifactDeleteResult r = reclaim.artifactDeletions().delete(t.id(), List.of(debug.id()), false, false);

        assertThat(r.deleted()).as(String.valueOf(r.error())).isTrue();
        assertThat(r.objects()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(300);
        assertThat(stored(debug)).isFalse();
        assertThat(stored(log)).isTrue();
        assertThat(reclaim.tasks().liveArtifacts(t.id())).extracting(Artifact::id).containsExactly(log.id());
        assertThat(reclaim.usage().report(List.of(), 1).bytes()).isEqualTo(20);
        assertThat(auditActions(t.id())).containsExactly("delete-artifacts");
    }

    @Test
    void aDryRunOfAnArtifactDeletionSaysWhatTheDeletionDoesAndChangesNothing() {
        Task t = completed("t");
        Artifact a = attach(t, ArtifactKind.ARTIFACT, "a.bin", 70);
        Artifact b = attach(t, ArtifactKind.ARTIFACT, "b.bin", 30);

        ArtifactDeleteResult dry = reclaim.artifactDeletions().delete(t.id(), List.of(a.id(), b.id()), false, true);

        assertThat(stored(a)).isTrue();
        assertThat(reclaim.tasks().liveArtifacts(t.id())).hasSize(2);
        ArtifactDeleteResult run = reclaim.artifactDeletions().delete(t.id(), List.of(a.id(), b.id()), false, false);
        assertThat(dry.dryRun()).isTrue();
        assertThat(dry.deleted()).isTrue();
        assertThat(List.of(dry.objects(), dry.bytes())).isEqualTo(List.of(run.objects(), run.bytes()));
        assertThat(run.bytes()).isEqualTo(100);
    }

    @Test
    void withoutForceAPublishedModelAModelInUseAndAnythingOnHoldAreRefusedAndNothingIsDeleted() {
        Task trained = completed("trained");
        Artifact model = attach(trained, ArtifactKind.MODEL, "model.pt", 10);
        Artifact other = attach(trained, ArtifactKind.LOG, "log.txt", 10);
        Task user = completed("user");
        reclaim.tasks().addInputModel(user.id(), model.id());
        Task published = completed("published");
        Artifact pubModel = attach(published, ArtifactKind.MODEL, "pub.pt", 10);
        reclaim.tasks().publish(published.id());
        Task heldTask = completed("held");
        Artifact inHeldTask = attach(heldTask, ArtifactKind.LOG, "log.txt", 10);
        reclaim.holds().holdTask(heldTask.id(), null);
        Artifact heldLog = attach(user, ArtifactKind.LOG, "held.txt", 10);
        reclaim.holds().holdArtifact(user.id(), heldLog.id(), null);

        ArtifactDeleteResult inUse = reclaim.artifactDeletions().delete(trained.id(), List.of(model.id(), other.id()), false, false);
        ArtifactDeleteResult pub = reclaim.artifactDeletions().delete(published.id(), List.of(pubModel.id()), false, false);
        ArtifactDeleteResult taskHeld = reclaim.artifactDeletions().delete(heldTask.id(), List.of(inHeldTask.id()), false, false);
        ArtifactDeleteResult artifactHeld = reclaim.artifactDeletions().delete(user.id(), List.of(heldLog.id()), false, false);

        assertThat(List.of(inUse, pub, taskHeld, artifactHeld)).allSatisfy(r -> {
            assertThat(r.deleted()).isFalse();
            assertThat(r.needsForce()).isTrue();
            assertThat(r.error()).contains("nothing was deleted").contains("force");
        });
        assertThat(inUse.error()).contains("model " + model.id() + " is an input of another live task");
        assertThat(pub.error()).contains("model " + pubModel.id() + " is published");
        assertThat(taskHeld.error()).contains("task " + heldTask.id() + " is on hold");
        assertThat(artifactHeld.error()).contains("artifact " + heldLog.id()).contains("on hold");
        assertThat(List.of(model, other, pubModel, inHeldTask, heldLog)).allSatisfy(a -> assertThat(stored(a)).isTrue());
    }

    @Test
    void withForceHoldsAreReleasedAndProtectedModelsKeptDetached() {
        Task trained = completed("trained");
        Artifact model = attach(trained, ArtifactKind.MODEL, "model.pt", 10);
        Artifact held = attach(trained, ArtifactKind.LOG, "log.txt", 10);
        Task user = completed("user");
        reclaim.tasks().addInputModel(user.id(), model.id());
        reclaim.holds().holdArtifact(trained.id(), held.id(), null);

        ArtifactDeleteResult r = reclaim.artifactDeletions().delete(trained.id(), List.of(model.id(), held.id()), true, false);

        assertThat(r.deleted()).as(String.valueOf(r.error())).isTrue();
        assertThat(r.keptModels()).containsExactly(model.id());
        assertThat(stored(held)).isFalse();
        assertThat(stored(model)).isTrue();
        assertThat(reclaim.tasks().findArtifact(model.id()).orElseThrow().taskId()).isNull();
        assertThat(reclaim.holds().list(null, 10).holds()).isEmpty();
        assertThat(auditActions(trained.id())).contains("release-artifact");
    }

    @Test
    void anArtifactThatIsNotALiveArtifactOfTheTaskIsNotFoundAndNothingIsDeleted() {
        Task t = completed("t");
        Task other = completed("other");
        Artifact mine = attach(t, ArtifactKind.LOG, "a.txt", 10);
        Artifact theirs = attach(other, ArtifactKind.LOG, "b.txt", 10);

        assertThatThrownBy(() -> reclaim.artifactDeletions().delete(t.id(), List.of(mine.id(), theirs.id()), false, false))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no live artifact " + theirs.id())
                .hasMessageContaining("reclaim tasks artifacts list " + t.id());
        assertThat(stored(mine)).isTrue();
        assertThat(stored(theirs)).isTrue();
    }

    @Test
    void anArtifactOnHoldIsNeverReplaced() throws Exception {
        Task t = completed("t");
        Artifact a = attach(t, ArtifactKind.MODEL, "best.pt", 10);
        reclaim.holds().holdArtifact(t.id(), a.id(), null);
        Path newer = Files.write(tmp.resolve("newer"), new byte[20]);

        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best.pt", newer, true))
                .isInstanceOf(RefusedException.class).hasMessageContaining("on hold").hasMessageContaining("nothing was stored");
        assertThat(reclaim.tasks().liveArtifacts(t.id())).extracting(Artifact::id).containsExactly(a.id());
        assertThat(stored(a)).isTrue();
    }
}
