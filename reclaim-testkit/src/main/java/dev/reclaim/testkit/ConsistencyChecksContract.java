package dev.reclaim.testkit;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DetachedModel;
import dev.reclaim.store.MarkResult.Outcome;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@link dev.reclaim.store.ConsistencyChecks} rules: a healthy store has no integrity problems;
 * detached models no live task uses are listed and removed, refused without force when kept by
 * design or still used.
 */
public abstract class ConsistencyChecksContract extends TaskStoreFixture {
    @Test
    void aHealthyStoreHasNoIntegrityProblems() {
        insert(a.aTask("eval"));
        assertThat(store.integrityProblems()).isEmpty();
    }

    // ---- detached models no live task uses -------------------------------------------------------

    /** A detached model whose only user dropped it as input: no owner, no user (as older versions left them). */
    private Artifact unusedDetachedModel(String name) {
        DetachedModelAndUsers detached = detachedModelOf(name, false, name + " user");
        Task user = reload(detached.user(name + " user"));
        store.replaceTask(user.toBuilder().inputModels(List.of()).build(), user.version()).orElseThrow();
        return detached.model();
    }

    @Test
    void detachedModelsNoLiveTaskUsesAreListedWithWhetherTheyAreKeptByDesign() {
        Artifact leaked = unusedDetachedModel("leaked");
        Artifact published = detachedModelOf("published", true).model();
        Task keeper = insert(a.aTask("keeper"));
        Artifact kept = add(a.aModel(keeper.id(), "keeper/model", 3));
        store.markForDeletion(DeletionMark.wholeTask(keeper.id(), keeper.version()).deletingOutputModels(false)
                .because("r", "a", clock.instant()));
        store.finishDeletion(keeper.id(), clock.instant()).orElseThrow();
        detachedModelOf("used", false, "live user");
        Task owner = insert(a.aTask("owner"));
        add(a.aModel(owner.id(), "owner/model", 1));

        List<DetachedModel> all = store.unusedDetachedModels(null, 10);

        assertThat(all).extracting(d -> d.model().id(), DetachedModel::keptOnRequest, DetachedModel::keptByDesign)
                .containsExactly(tuple(leaked.id(), false, false), tuple(published.id(), false, true),
                        tuple(kept.id(), true, true));
        assertThat(all.get(0).model()).isEqualTo(new Artifact(leaked.id(), null, ArtifactKind.MODEL, leaked.name(),
                leaked.storageKey(), 5, leaked.createdAt(), false, ArtifactState.LIVE));
        assertThat(store.unusedDetachedModels(null, 1)).extracting(d -> d.model().id()).containsExactly(leaked.id());
        assertThat(store.unusedDetachedModels(published.id(), 10)).extracting(d -> d.model().id()).containsExactly(kept.id());
    }

    @Test
    void removingAnUnusedDetachedModelDropsItsRecordQueuesItsObjectAndAuditsIt() {
        Artifact leaked = unusedDetachedModel("leaked");
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        MarkResult r = store.removeDetachedModel(leaked.id(), false, "fsck", "no owner, no user", at);

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("leaked/model");
        assertThat(r.queuedBytes()).isEqualTo(5);
        assertThat(store.findArtifact(leaked.id())).isEmpty();
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey, PendingDelete::taskId)
                .containsExactly(tuple("leaked/model", null));
        assertThat(store.unusedDetachedModels(null, 10)).isEmpty();
        assertThat(store.audit(1)).containsExactly(new AuditRecord(at, "fsck", "delete-model", leaked.id(), leaked.name(),
                null, "no owner, no user", 1, 5));
    }

    @Test
    void aPublishedKeptOrUsedDetachedModelIsRemovedOnlyWithForce() {
        Artifact published = detachedModelOf("published", true).model();
        DetachedModelAndUsers usedModel = detachedModelOf("used", false, "live user");
        Artifact used = usedModel.model();
        Task liveUser = usedModel.user("live user");

        MarkResult refusedPublished = store.removeDetachedModel(published.id(), false, "me", "why", clock.instant());
        MarkResult refusedUsed = store.removeDetachedModel(used.id(), false, "me", "why", clock.instant());

        assertThat(refusedPublished.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refusedPublished.reason()).contains("published").contains("force");
        assertThat(refusedUsed.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(refusedUsed.reason()).contains(liveUser.id()).contains("force");
        assertThat(store.findArtifact(published.id())).isPresent();
        assertThat(store.pendingDeletes(10)).isEmpty();

        Task before = reload(liveUser);
        assertThat(store.removeDetachedModel(published.id(), true, "me", "why", clock.instant()).outcome())
                .isEqualTo(Outcome.MARKED);
        assertThat(store.removeDetachedModel(used.id(), true, "me", "why", clock.instant()).queuedKeys())
                .containsExactly("used/model");
        Task after = reload(liveUser);
        assertThat(after.inputModels()).isEmpty();
        assertThat(after.version()).isEqualTo(before.version() + 1);
        assertThat(store.findArtifact(used.id())).isEmpty();
    }

    @Test
    void onlyADetachedLiveModelCanBeRemovedThatWay() {
        Task owner = insert(a.aTask("owner"));
        Artifact attached = add(a.aModel(owner.id(), "owner/model", 1));

        MarkResult r = store.removeDetachedModel(attached.id(), true, "me", "why", clock.instant());

        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
        assertThat(r.reason()).contains(owner.id());
        assertThat(store.removeDetachedModel("unknown", true, "me", "why", clock.instant()).outcome())
                .isEqualTo(Outcome.NOT_FOUND);
        assertThat(store.findArtifact(attached.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aRemovedDetachedModelsKeyThatALiveArtifactSharesIsNotQueued() {
        Artifact leaked = unusedDetachedModel("leaked");
        Task other = insert(a.aTask("other"));
        add(a.anArtifact(other.id(), ArtifactKind.ARTIFACT, leaked.storageKey(), 5));

        MarkResult r = store.removeDetachedModel(leaked.id(), false, "me", "why", clock.instant());

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.isReferencedByLiveArtifact(leaked.storageKey())).isTrue();
    }
}
