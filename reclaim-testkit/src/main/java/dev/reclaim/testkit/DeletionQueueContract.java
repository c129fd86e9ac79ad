package dev.reclaim.testkit;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.DeletedObjects;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.LeaseLostException;
import dev.reclaim.store.MarkResult.Outcome;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@link dev.reclaim.store.DeletionQueue} rules: a mark hides a task (or its chosen artifacts)
 * and queues each object no live artifact still references; models in use are kept and detached;
 * queue entries are claimed, failed and completed; a deletion finishes once every entry is done.
 */
public abstract class DeletionQueueContract extends TaskStoreFixture {
    // ---- marking for deletion ----------------------------------------------------------------

    @Test
    void markingAWholeTaskHidesItRepointsItsChildrenAndQueuesItsObjects() {
        Task parent = insert(a.aTask("parent"));
        Task child1 = insert(a.aTask("child1").parentId(parent.id()));
        Task child2 = insert(a.aTask("child2").parentId(parent.id()));
        add(a.aModel(parent.id(), "p/model", 10));
        add(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, "p/file", 20));
        add(a.anArtifact(parent.id(), ArtifactKind.DEBUG_SAMPLE, "p/debug.png", 30));
        add(a.aPendingArtifact(parent.id(), ArtifactKind.LOG, "p/log.txt", 40));
        Instant at = clock.instant();

        MarkResult r = store.markForDeletion(whole(parent));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.updatedChildren()).isEqualTo(2);
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.markedArtifacts()).isEqualTo(4);
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("p/model", "p/file", "p/debug.png", "p/log.txt");
        assertThat(r.queuedBytes()).isEqualTo(100);
        Task marked = reload(parent);
        assertThat(marked.deletingSince()).isEqualTo(at);
        assertThat(marked.isLive()).isFalse();
        assertThat(marked.version()).isEqualTo(parent.version() + 1);
        assertThat(reload(child1).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(reload(child2).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(reload(child1).version()).isEqualTo(child1.version() + 1);
        assertThat(store.artifactsOf(parent.id())).extracting(Artifact::state).containsOnly(ArtifactState.DELETING);
        assertThat(store.pendingDeletes(100)).extracting(PendingDelete::storageKey)
                .containsExactlyInAnyOrder("p/model", "p/file", "p/debug.png", "p/log.txt");
        assertThat(store.pendingDeletes(100)).extracting(PendingDelete::taskId).containsOnly(parent.id());
        assertThat(store.unfinishedDeletions(10)).containsExactly(parent.id());
    }

    @Test
    void aTaskChangedAfterSelectionIsNotMarked() {
        Task selected = insert(a.anArchivedTask("old", clock.instant()));
        add(a.anArtifact(selected.id(), ArtifactKind.ARTIFACT, "t/file", 1));
        Task unarchived = store.replaceTask(selected.toBuilder().systemTags(Set.of()).archivedAt(null).build(),
                selected.version()).orElseThrow();

        MarkResult r = store.markForDeletion(whole(selected));

        assertThat(r.outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(r.reason()).isNotBlank();
        assertThat(reload(selected)).isEqualTo(unarchived);
        assertThat(store.artifactsOf(selected.id())).extracting(Artifact::state).containsOnly(ArtifactState.LIVE);
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
    }

    @Test
    void aTaskAlreadyBeingDeletedIsNotMarkedAgain() {
        Task t = insert(a.aTask("t"));
        assertThat(store.markForDeletion(whole(t)).outcome()).isEqualTo(Outcome.MARKED);
        assertThat(store.markForDeletion(whole(reload(t))).outcome()).isEqualTo(Outcome.CHANGED);
        assertThat(store.markForDeletion(artifactsOnly(reload(t))).outcome()).isEqualTo(Outcome.CHANGED);
    }

    @Test
    void markingAMissingTaskReportsNotFound() {
        MarkResult r = store.markForDeletion(DeletionMark.wholeTask("missing", 0).refusingPublished(true)
                .because("r", "a", clock.instant()));
        assertThat(r.outcome()).isEqualTo(Outcome.NOT_FOUND);
    }

    @Test
    void publishedChildrenAndPublishedModelsRefuseTheMarkWhenAskedAndNothingChanges() {
        Task parent = insert(a.aTask("parent"));
        Task child = insert(a.aTask("child").parentId(parent.id()).status(TaskStatus.PUBLISHED));
        Task owner = insert(a.aTask("owner"));
        Artifact model = add(a.aModel(owner.id(), "o/model", 1).withPublished(true));
        add(a.anArtifact(owner.id(), ArtifactKind.ARTIFACT, "o/file", 1));

        MarkResult byChild = store.markForDeletion(refusing(parent));
        MarkResult byModel = store.markForDeletion(refusing(owner));

        assertThat(byChild.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(byChild.reason()).contains(child.id());
        assertThat(byModel.outcome()).isEqualTo(Outcome.REFUSED);
        assertThat(byModel.reason()).contains(model.id());
        assertThat(reload(parent)).isEqualTo(parent);
        assertThat(reload(owner)).isEqualTo(owner);
        assertThat(reload(child).parentId()).isEqualTo(parent.id());
        assertThat(store.artifactsOf(owner.id())).extracting(Artifact::state).containsOnly(ArtifactState.LIVE);
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    private DeletionMark refusing(Task t) {
        return DeletionMark.wholeTask(t.id(), t.version()).refusingPublished(true)
                .because("cleanup", "service", clock.instant());
    }

    @Test
    void publishedModelsAreKeptAndDetachedWhenNotRefused() {
        Task t = insert(a.aTask("t"));
        Artifact published = add(a.aModel(t.id(), "t/published", 5).withPublished(true));
        Artifact plain = add(a.aModel(t.id(), "t/plain", 7));

        MarkResult r = store.markForDeletion(whole(t));

        assertThat(r.keptModelIds()).containsExactly(published.id());
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("t/plain");
        assertThat(store.findArtifact(published.id())).contains(new Artifact(published.id(), null, ArtifactKind.MODEL,
                published.name(), published.storageKey(), 5, published.createdAt(), true, ArtifactState.LIVE));
        assertThat(store.findArtifact(plain.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void aModelUsedByAnotherLiveTaskIsKeptAndDetached() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task consumer = insert(a.aTask("consumer").inputModels(List.of(model.id())));

        MarkResult r = store.markForDeletion(whole(producer));
        purge(List.of(producer.id()));
        FinishResult f = store.finishDeletion(producer.id(), clock.instant()).orElseThrow();

        assertThat(r.keptModelIds()).containsExactly(model.id());
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(f.taskDeleted()).isTrue();
        assertThat(store.findArtifact(model.id())).get().satisfies(m -> {
            assertThat(m.taskId()).isNull();
            assertThat(m.state()).isEqualTo(ArtifactState.LIVE);
        });
        assertThat(reload(consumer).inputModels()).containsExactly(model.id());
        assertThat(store.isReferencedByLiveArtifact("p/model")).isTrue();
    }

    @Test
    void aModelUsedOnlyByTasksBeingDeletedIsDeletedAndBothDeletionsFinish() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task consumer = insert(a.aTask("consumer").inputModels(List.of(model.id())));
        assertThat(store.markForDeletion(whole(consumer)).outcome()).isEqualTo(Outcome.MARKED);

        MarkResult r = store.markForDeletion(whole(producer));
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("p/model");

        purge(null);
        assertThat(store.finishDeletion(producer.id(), clock.instant())).get().extracting(FinishResult::objects).isEqualTo(1L);
        assertThat(store.finishDeletion(consumer.id(), clock.instant())).get().extracting(FinishResult::taskDeleted).isEqualTo(true);
        assertThat(store.findArtifact(model.id())).isEmpty();
        assertThat(store.findTask(consumer.id())).isEmpty();
    }

    @Test
    void outputModelsAreKeptWhenModelsAreNotToBeDeleted() {
        Task t = insert(a.aTask("t"));
        Artifact model = add(a.aModel(t.id(), "t/model", 5));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/file", 1));

        MarkResult r = store.markForDeletion(DeletionMark.wholeTask(t.id(), t.version()).deletingOutputModels(false)
                .because("r", "a", clock.instant()));

        assertThat(r.keptModelIds()).containsExactly(model.id());
        assertThat(r.deletedModels()).isZero();
        assertThat(r.markedArtifacts()).isEqualTo(1);
        assertThat(r.queuedKeys()).containsExactly("t/file");
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aModelWhoseUploadNeverFinishedIsDeletedEvenWhenModelsAreKept() {
        Task t = insert(a.aTask("t"));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "t/partial-model", 5));
        MarkResult r = store.markForDeletion(DeletionMark.wholeTask(t.id(), t.version()).deletingOutputModels(false)
                .because("r", "a", clock.instant()));
        assertThat(r.keptModelIds()).isEmpty();
        assertThat(r.queuedKeys()).containsExactly("t/partial-model");
        assertThat(store.findArtifact(pending.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void aKeySharedWithALiveArtifactIsNotQueued() {
        Task doomed = insert(a.aTask("doomed"));
        Task keeper = insert(a.aTask("keeper"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/object", 50));
        add(a.anArtifact(keeper.id(), ArtifactKind.ARTIFACT, "shared/object", 50));

        MarkResult r = store.markForDeletion(whole(doomed));

        assertThat(r.markedArtifacts()).isEqualTo(1);
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(r.queuedBytes()).isZero();
        assertThat(store.pendingDeletes(10)).isEmpty();
        FinishResult f = store.finishDeletion(doomed.id(), clock.instant()).orElseThrow();
        assertThat(f).isEqualTo(new FinishResult(doomed.id(), true, 1, 0, 0));
        assertThat(store.isReferencedByLiveArtifact("shared/object")).isTrue();
    }

    @Test
    void aKeySharedByTwoMarkedArtifactsIsQueuedOnce() {
        Task first = insert(a.aTask("first"));
        Task second = insert(a.aTask("second"));
        add(a.aModel(first.id(), "same/object", 8));
        add(a.anArtifact(first.id(), ArtifactKind.ARTIFACT, "same/object", 8));
        add(a.anArtifact(second.id(), ArtifactKind.ARTIFACT, "same/object", 8));

        MarkResult one = store.markForDeletion(whole(second));
        MarkResult two = store.markForDeletion(whole(first));

        assertThat(one.queuedKeys()).isEmpty();
        assertThat(two.markedArtifacts()).isEqualTo(2);
        assertThat(two.queuedKeys()).containsExactly("same/object");
        assertThat(two.queuedBytes()).isEqualTo(8);
        assertThat(store.pendingDeletes(10)).hasSize(1);
    }

    @Test
    void anArtifactsOnlyMarkOfChosenArtifactsMarksAndQueuesOnlyThem() {
        Task t = insert(a.aTask("t"));
        Artifact keep = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/keep", 5));
        Artifact keptModel = add(a.aModel(t.id(), "t/model", 6));
        Artifact gone = add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/gone", 7));
        Artifact stale = add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/stale", 8));

        MarkResult r = store.markForDeletion(DeletionMark.artifacts(t.id(), t.version(), Set.of(gone.id(), stale.id()),
                "superseded", "tester", clock.instant()));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("t/gone", "t/stale");
        assertThat(r.queuedBytes()).isEqualTo(15);
        assertThat(r.keptModelIds()).isEmpty();
        purge(List.of(t.id()));
        assertThat(store.finishDeletion(t.id(), clock.instant())).hasValueSatisfying(f -> {
            assertThat(f.taskDeleted()).isFalse();
            assertThat(f.artifacts()).isEqualTo(2);
        });
        assertThat(store.artifactsOf(t.id())).containsExactly(keep, keptModel);
        assertThat(reload(t).isLive()).isTrue();
    }

    @Test
    void aChosenModelAnotherTaskUsesIsKeptAndDetachedByAnArtifactsOnlyMark() {
        Task t = insert(a.aTask("t"));
        Artifact used = add(a.aModel(t.id(), "t/used", 5));
        Artifact other = add(a.aModel(t.id(), "t/other", 6));
        insert(a.aTask("user").inputModels(List.of(used.id())));

        MarkResult r = store.markForDeletion(DeletionMark.artifacts(t.id(), reload(t).version(), Set.of(used.id()),
                "superseded", "tester", clock.instant()));

        assertThat(r.keptModelIds()).containsExactly(used.id());
        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(used.id()).orElseThrow().state()).isEqualTo(ArtifactState.LIVE);
        assertThat(store.findArtifact(other.id()).orElseThrow().taskId()).isEqualTo(t.id());
    }

    @Test
    void markingOnlyArtifactsKeepsTheTaskLiveUntilItsArtifactsAreGone() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task job = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        add(a.anArtifact(job.id(), ArtifactKind.RESULT, "j/result", 3));
        add(a.aPendingArtifact(job.id(), ArtifactKind.LOG, "j/log", 4));
        Task canceled = store.replaceTask(job.withStatus(TaskStatus.CANCELED, now), job.version()).orElseThrow();

        MarkResult r = store.markForDeletion(artifactsOnly(canceled));

        assertThat(r.outcome()).isEqualTo(Outcome.MARKED);
        assertThat(r.updatedChildren()).isZero();
        assertThat(r.queuedKeys()).containsExactlyInAnyOrder("j/result", "j/log");
        Task marked = reload(job);
        assertThat(marked.isLive()).isTrue();
        assertThat(marked.version()).isEqualTo(canceled.version() + 1);
        assertThat(ids(q())).containsExactly(job.id());
        assertThat(store.unfinishedDeletions(10)).containsExactly(job.id());
        assertThat(store.finishDeletion(job.id(), clock.instant())).isEmpty();

        purge(List.of(job.id()));
        Instant finishedAt = clock.instant();
        FinishResult f = store.finishDeletion(job.id(), finishedAt).orElseThrow();

        assertThat(f).isEqualTo(new FinishResult(job.id(), false, 2, 2, 7));
        assertThat(reload(job).status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(store.artifactsOf(job.id())).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.audit(1)).containsExactly(new AuditRecord(finishedAt, "tester", "delete-artifacts", job.id(), "job",
                TestTasks.PROJECT, "job canceled", 2, 7));
        assertThat(store.finishDeletion(job.id(), clock.instant())).isEmpty();
        add(a.anArtifact(job.id(), ArtifactKind.LOG, "j/new-log", 1));
    }

    // ---- detached models: kept while used, deleted with their last user --------------------------

    @Test
    void aDetachedModelIsDeletedWithItsLastUser() {
        DetachedModelAndUsers detached = detachedModelOf("p", false, "first user", "last user");
        Artifact model = detached.model();
        Task firstUser = detached.user("first user");
        Task lastUser = detached.user("last user");
        add(a.anArtifact(lastUser.id(), ArtifactKind.ARTIFACT, "last/file", 2));

        MarkResult first = store.markForDeletion(whole(firstUser));
        assertThat(first.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        MarkResult last = store.markForDeletion(whole(lastUser));

        assertThat(last.deletedModels()).isEqualTo(1);
        assertThat(last.markedArtifacts()).isEqualTo(2);
        assertThat(last.queuedKeys()).containsExactlyInAnyOrder("p/model", "last/file");
        assertThat(last.queuedBytes()).isEqualTo(7);
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
        purge(null);
        assertThat(store.finishDeletion(firstUser.id(), clock.instant())).isPresent();
        assertThat(store.finishDeletion(lastUser.id(), clock.instant()))
                .contains(new FinishResult(lastUser.id(), true, 2, 2, 7));
        assertThat(store.findArtifact(model.id())).isEmpty();
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    @Test
    void aDetachedModelIsDeletedWithItsLastUserAlsoInABatchThatDeletesItsProducerFirst() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));

        List<MarkResult> r = store.markAllForDeletion(List.of(whole(producer), whole(user)));

        assertThat(r.get(0).keptModelIds()).containsExactly(model.id());
        assertThat(r.get(1).queuedKeys()).containsExactly("p/model");
        purge(null);
        assertThat(store.finishDeletions(List.of(producer.id(), user.id()), clock.instant()))
                .extracting(FinishResult::objects).containsExactly(0L, 1L);
        assertThat(store.findArtifact(model.id())).isEmpty();
    }

    @Test
    void aDetachedModelAnotherLiveTaskStillUsesIsKept() {
        DetachedModelAndUsers detached = detachedModelOf("p", false, "gone", "stays");
        Artifact model = detached.model();

        MarkResult r = store.markForDeletion(whole(detached.user("gone")));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(r.deletedModels()).isZero();
        assertThat(store.findArtifact(model.id())).get().satisfies(m -> {
            assertThat(m.state()).isEqualTo(ArtifactState.LIVE);
            assertThat(m.taskId()).isNull();
        });
    }

    @Test
    void aPublishedDetachedModelOutlivesItsLastUser() {
        DetachedModelAndUsers detached = detachedModelOf("p", true, "user");
        Artifact model = detached.model();

        MarkResult r = store.markForDeletion(whole(detached.user("user")));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void aModelKeptOnRequestOutlivesItsLastUser() {
        Task producer = insert(a.aTask("producer"));
        Artifact model = add(a.aModel(producer.id(), "p/model", 5));
        Task user = insert(a.aTask("user").inputModels(List.of(model.id())));
        store.markForDeletion(DeletionMark.wholeTask(producer.id(), producer.version()).deletingOutputModels(false)
                .because("r", "a", clock.instant()));
        store.finishDeletion(producer.id(), clock.instant()).orElseThrow();

        MarkResult r = store.markForDeletion(whole(user));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    @Test
    void cancelingAJobThatUsesADetachedModelKeepsTheModel() {
        DetachedModelAndUsers detached = detachedModelOf("p", false, "user");
        Artifact model = detached.model();

        MarkResult r = store.markForDeletion(artifactsOnly(detached.user("user")));

        assertThat(r.queuedKeys()).isEmpty();
        assertThat(store.findArtifact(model.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
    }

    // ---- marking many tasks in one call ---------------------------------------------------------

    @Test
    void markingManyTasksInOneCallMarksEachAsMarkingThemOneAfterAnotherWould() {
        MarkWorld batched = new MarkWorld("A");
        MarkWorld alone = new MarkWorld("B");

        List<MarkResult> together = store.markAllForDeletion(batched.marks);
        List<MarkResult> oneByOne = new ArrayList<>();
        for (DeletionMark m : alone.marks) {
            oneByOne.add(store.markForDeletion(m));
        }

        assertThat(together).extracting(MarkResult::outcome).containsExactly(Outcome.MARKED, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.CHANGED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.MARKED, Outcome.CHANGED, Outcome.REFUSED,
                Outcome.MARKED, Outcome.MARKED, Outcome.CHANGED, Outcome.NOT_FOUND, Outcome.MARKED, Outcome.MARKED,
                Outcome.MARKED, Outcome.MARKED);
        assertThat(batched.resultOf(together, "plain").queuedKeys()).containsExactly("A/plain/a", "A/plain/b");
        assertThat(batched.resultOf(together, "pending").queuedKeys()).containsExactly("A/pending/a");
        assertThat(batched.resultOf(together, "parent2").updatedChildren()).isEqualTo(1);
        assertThat(batched.resultOf(together, "producer").keptModelIds()).hasSize(1);
        assertThat(batched.resultOf(together, "sharer1").queuedKeys()).isEmpty();
        assertThat(batched.resultOf(together, "sharer2").queuedKeys()).containsExactly("A/shared");
        // the later-made sharer marked first: the key goes with the mark that comes second
        assertThat(batched.resultOf(together, "sharer4").queuedKeys()).isEmpty();
        assertThat(batched.resultOf(together, "sharer3").queuedKeys()).containsExactly("A/shared2");
        // the producer keeps its model for the later user, whose mark then deletes it; of two users
        // of a model detached before the batch, the second one marked deletes it
        assertThat(batched.resultOf(together, "producer2").keptModelIds()).hasSize(1);
        assertThat(batched.resultOf(together, "consumer2").queuedKeys()).containsExactly("A/producer2/model");
        assertThat(batched.resultOf(together, "consumer3a").queuedKeys()).isEmpty();
        assertThat(batched.resultOf(together, "consumer3b").queuedKeys()).containsExactly("A/producer3/model");
        assertThat(batched.describe(together)).isEqualTo(alone.describe(oneByOne));
        assertThat(batched.state()).isEqualTo(alone.state());
        // the independent task with objects got one entry standing for them; marked alone, an entry each
        String plain = batched.taskId("plain");
        assertThat(store.pendingDeletes(1000)).filteredOn(p -> plain.equals(p.taskId()))
                .singleElement().satisfies(p -> assertThat(p.wholeTask()).isTrue());
        String plainAlone = alone.taskId("plain");
        assertThat(store.pendingDeletes(1000)).filteredOn(p -> plainAlone.equals(p.taskId())).hasSize(2)
                .noneMatch(PendingDelete::wholeTask);
    }

    @Test
    void aBatchMarkQueuesOneEntryForASmallIndependentTaskThatStandsForItsObjects() {
        Task small = insert(a.aTask("small"));
        add(a.anArtifact(small.id(), ArtifactKind.ARTIFACT, "small/a", 3));
        add(a.aPendingArtifact(small.id(), ArtifactKind.DEBUG_SAMPLE, "small/b", 4));
        Task big = insert(a.aTask("big"));
        for (int i = 0; i <= PendingDelete.WHOLE_TASK_MAX_OBJECTS; i++) {
            add(a.anArtifact(big.id(), ArtifactKind.ARTIFACT, "big/" + i, 1));
        }
        Task empty = insert(a.aTask("empty"));

        List<MarkResult> marked = store.markAllForDeletion(List.of(whole(small), whole(big), whole(empty)));

        assertThat(marked.get(0).queuedKeys()).containsExactly("small/a", "small/b");
        assertThat(marked.get(0).queuedBytes()).isEqualTo(7);
        List<PendingDelete> queue = store.pendingDeletes(1000);
        assertThat(queue).filteredOn(p -> p.taskId().equals(small.id())).singleElement().satisfies(p -> {
            assertThat(p.wholeTask()).isTrue();
            assertThat(p.storageKey()).isEqualTo(PendingDelete.WHOLE_TASK_PREFIX + small.id());
            assertThat(p.sizeBytes()).isEqualTo(7);
        });
        // more objects than one entry may stand for: an entry each, as marking it alone would queue
        assertThat(queue).filteredOn(p -> p.taskId().equals(big.id())).hasSize(PendingDelete.WHOLE_TASK_MAX_OBJECTS + 1)
                .noneMatch(PendingDelete::wholeTask);
        assertThat(queue).noneMatch(p -> p.taskId().equals(empty.id()));
        assertThat(store.objectsOfWholeTaskEntries(List.of(small.id(), empty.id())))
                .isEqualTo(Map.of(small.id(), Map.of("small/a", 3L, "small/b", 4L)));
    }

    @Test
    void aFencedMarkIsMadeOnlyWhileItsHolderHoldsTheLease() {
        Instant now = clock.instant();
        Task t = insert(a.aTask("fenced"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "fenced/a", 10));
        store.tryAcquireLease("cleanup", "run-1", now, now.plusSeconds(60));

        assertThatThrownBy(() -> store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-1",
                now.plusSeconds(60)))).isInstanceOf(LeaseLostException.class).hasMessageContaining("ran out");
        store.tryAcquireLease("cleanup", "run-2", now.plusSeconds(61), now.plusSeconds(180));
        assertThatThrownBy(() -> store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-1",
                now.plusSeconds(30)))).isInstanceOfSatisfying(LeaseLostException.class,
                e -> assertThat(e.current()).get().extracting(LeaseInfo::holder).isEqualTo("run-2"))
                .hasMessageContaining("held by run-2");
        assertThat(reload(t).deletingSince()).as("nothing marked").isNull();
        assertThat(store.pendingDeletes(10)).isEmpty();

        assertThat(store.markAllForDeletion(List.of(whole(t)), new LeaseFence("cleanup", "run-2", now.plusSeconds(62))))
                .extracting(MarkResult::outcome).containsExactly(Outcome.MARKED);
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::taskId).containsExactly(t.id());
        store.releaseLease("cleanup", "run-2");
        assertThatThrownBy(() -> store.markAllForDeletion(List.of(), new LeaseFence("cleanup", "run-2",
                now.plusSeconds(63)))).isInstanceOf(LeaseLostException.class).hasMessageContaining("nobody holds it");
    }

    /**
     * The same tasks, artifacts and marks under a prefix, for comparing one way of marking with
     * another: independent tasks and every kind of mark that depends on another mark of the batch
     * (child after parent, parent after child, model used by a later mark, a key shared by two
     * marks in either order of their tasks), besides a stale, a refused, an artifacts-only, a repeated and an unknown mark.
     */
    private final class MarkWorld {
        final String prefix;
        final List<DeletionMark> marks = new ArrayList<>();
        /** Every id made, in order: the same position in another world is the same thing. */
        private final List<String> ids = new ArrayList<>();
        /** Each task's id by its name without the prefix. */
        private final Map<String, String> taskIds = new HashMap<>();

        MarkWorld(String prefix) {
            this.prefix = prefix;
            Task plain = task(a.aTask(prefix + "plain"));
            artifact(a.anArtifact(plain.id(), ArtifactKind.ARTIFACT, prefix + "/plain/a", 3));
            artifact(a.anArtifact(plain.id(), ArtifactKind.DEBUG_SAMPLE, prefix + "/plain/b", 4));
            Task empty = task(a.aTask(prefix + "empty"));
            Task pending = task(a.aTask(prefix + "pending"));
            artifact(a.aPendingArtifact(pending.id(), ArtifactKind.ARTIFACT, prefix + "/pending/a", 5));
            Task parent = task(a.aTask(prefix + "parent"));
            artifact(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, prefix + "/parent/a", 6));
            Task child = task(a.aTask(prefix + "child").parentId(parent.id()));
            Task parent2 = task(a.aTask(prefix + "parent2"));
            Task child2 = task(a.aTask(prefix + "child2").parentId(parent2.id()));
            artifact(a.anArtifact(child2.id(), ArtifactKind.ARTIFACT, prefix + "/child2/a", 7));
            Task producer = task(a.aTask(prefix + "producer"));
            Artifact model = artifact(a.aModel(producer.id(), prefix + "/producer/model", 8));
            Task consumer = task(a.aTask(prefix + "consumer").inputModels(List.of(model.id())));
            Task sharer1 = task(a.aTask(prefix + "sharer1"));
            artifact(a.anArtifact(sharer1.id(), ArtifactKind.ARTIFACT, prefix + "/shared", 9));
            Task sharer2 = task(a.aTask(prefix + "sharer2"));
            artifact(a.anArtifact(sharer2.id(), ArtifactKind.ARTIFACT, prefix + "/shared", 9));
            Task sharer3 = task(a.aTask(prefix + "sharer3"));
            artifact(a.anArtifact(sharer3.id(), ArtifactKind.ARTIFACT, prefix + "/shared2", 9));
            Task sharer4 = task(a.aTask(prefix + "sharer4"));
            artifact(a.anArtifact(sharer4.id(), ArtifactKind.ARTIFACT, prefix + "/shared2", 9));
            Task stale = task(a.aTask(prefix + "stale"));
            store.replaceTask(stale.toBuilder().name(prefix + "renamed").build(), stale.version());
            Task published = task(a.aTask(prefix + "published"));
            Artifact publishedModel = artifact(a.aModel(published.id(), prefix + "/published/model", 10));
            store.setArtifactPublished(publishedModel.id(), true);
            Task canceled = task(a.aTask(prefix + "canceled"));
            artifact(a.anArtifact(canceled.id(), ArtifactKind.ARTIFACT, prefix + "/canceled/a", 11));
            Task twice = task(a.aTask(prefix + "twice"));
            artifact(a.anArtifact(twice.id(), ArtifactKind.ARTIFACT, prefix + "/twice/a", 12));
            Task producer2 = task(a.aTask(prefix + "producer2"));
            Artifact model2 = artifact(a.aModel(producer2.id(), prefix + "/producer2/model", 13));
            Task consumer2 = task(a.aTask(prefix + "consumer2").inputModels(List.of(model2.id())));
            Task producer3 = task(a.aTask(prefix + "producer3"));
            Artifact model3 = artifact(a.aModel(producer3.id(), prefix + "/producer3/model", 14));
            Task consumer3a = task(a.aTask(prefix + "consumer3a").inputModels(List.of(model3.id())));
            Task consumer3b = task(a.aTask(prefix + "consumer3b").inputModels(List.of(model3.id())));
            deleteCompletely(producer3);
            for (Task t : List.of(plain, empty, pending, parent, child, child2, parent2, producer, consumer, sharer1, sharer2,
                    sharer4, sharer3, stale)) {
                marks.add(whole(t));
            }
            marks.add(DeletionMark.wholeTask(published.id(), published.version()).refusingPublished(true)
                    .because("tested", "tester", clock.instant()));
            marks.add(artifactsOnly(canceled));
            marks.add(whole(twice));
            marks.add(whole(twice));
            ids.add(prefix + "-unknown");
            marks.add(DeletionMark.wholeTask(prefix + "-unknown", 1).because("tested", "tester", clock.instant()));
            // a producer and then the last user of its model; two users of a model detached before
            for (Task t : List.of(producer2, consumer2, consumer3a, consumer3b)) {
                marks.add(whole(t));
            }
        }

        private Task task(Task.Builder b) {
            Task t = insert(b);
            ids.add(t.id());
            taskIds.put(t.name().substring(prefix.length()), t.id());
            return t;
        }

        /** The id of this world's task named {@code name} (without the prefix). */
        String taskId(String name) {
            String id = taskIds.get(name);
            if (id == null) {
                throw new IllegalArgumentException("no task named " + name + " among " + taskIds.keySet());
            }
            return id;
        }

        /** The result, among {@code results} of this world's marks in order, of task {@code name}'s first mark. */
        MarkResult resultOf(List<MarkResult> results, String name) {
            String id = taskId(name);
            for (int i = 0; i < marks.size(); i++) {
                if (marks.get(i).taskId().equals(id)) {
                    return results.get(i);
                }
            }
            throw new IllegalArgumentException("no mark of " + name);
        }

        private Artifact artifact(Artifact x) {
            ids.add(x.id());
            return add(x);
        }

        /** Text with this world's ids replaced by their positions and its storage keys without the prefix. */
        private String positions(String text) {
            for (int i = 0; i < ids.size(); i++) {
                text = text.replace(ids.get(i), "#" + i);
            }
            return text.replace(prefix + "/", "/");
        }

        /** The results with positions for ids, and without times (each world is built at its own). */
        String describe(List<MarkResult> results) {
            return positions(results.toString()).replaceAll("\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z", "<time>");
        }

        /** What the marks left: each task's version, parent, liveness and artifacts, and the queue's entries of this world. */
        String state() {
            StringBuilder out = new StringBuilder();
            for (String id : ids) {
                store.findTask(id).ifPresent(t -> out.append(positions(t.id() + " v" + t.version() + " parent " + t.parentId()
                        + " live " + t.isLive() + " " + store.artifactsOf(id).stream().map(x -> x.storageKey() + ":" + x.state())
                        .toList())).append('\n'));
            }
            // a whole-task entry stands for its objects: the same queue as their entries one by one
            List<String> lines = new ArrayList<>();
            for (PendingDelete p : store.pendingDeletes(1000)) {
                if (p.wholeTask() && ids.contains(p.taskId())) {
                    store.objectsOfWholeTaskEntries(List.of(p.taskId())).get(p.taskId())
                            .forEach((key, size) -> lines.add(positions(key + " of " + p.taskId() + " " + size)));
                } else if (p.storageKey().startsWith(prefix + "/")) {
                    lines.add(positions(p.storageKey() + " of " + p.taskId() + " " + p.sizeBytes()));
                }
            }
            lines.stream().sorted().forEach(line -> out.append(line).append('\n'));
            return out.toString();
        }
    }

    // ---- the pending-delete queue ------------------------------------------------------------

    @Test
    void claimedEntriesAreNotClaimedAgainUntilTheClaimRunsOut() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 2));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();

        List<PendingDelete> first = store.claimPendingDeletes(null, 1, now, now.plusSeconds(60));
        List<PendingDelete> second = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));

        assertThat(first).hasSize(1);
        assertThat(second).hasSize(1);
        assertThat(second.get(0).id()).isNotEqualTo(first.get(0).id());
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(59), now.plusSeconds(120))).isEmpty();
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(60), now.plusSeconds(120))).hasSize(2);
        assertThat(first.get(0)).satisfies(p -> {
            assertThat(p.taskId()).isEqualTo(t.id());
            assertThat(p.attempts()).isZero();
            assertThat(p.lastError()).isNull();
        });
    }

    @Test
    void anEntryClaimedAgainSaysItWasClaimedBeforeSoAnObjectItFindsAbsentCountsAsFreed() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();

        List<PendingDelete> first = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));
        List<PendingDelete> again = store.claimPendingDeletes(null, 10, now.plusSeconds(60), now.plusSeconds(120));

        assertThat(first).singleElement().extracting(PendingDelete::claimedBefore).isEqualTo(false);
        assertThat(again).singleElement().extracting(PendingDelete::claimedBefore).isEqualTo(true);
    }

    @Test
    void aClaimRecordsItsClaimantAndTheClaimsOfOneClaimantCanBeEnded() {
        Task one = insert(a.aTask("one"));
        Task two = insert(a.aTask("two"));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/a", 1));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/b", 1));
        add(a.anArtifact(two.id(), ArtifactKind.ARTIFACT, "two/a", 1));
        store.markForDeletion(whole(one));
        store.markForDeletion(whole(two));
        ProcessIdentity gone = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 101, 5);
        ProcessIdentity running = new ProcessIdentity("host-a", "m", "b", "pid:[1]", 202, 6);
        Instant now = clock.instant();
        assertThat(store.claimPendingDeletes(List.of(one.id()), 10, now, now.plusSeconds(60), gone)).hasSize(2);
        assertThat(store.claimPendingDeletes(List.of(two.id()), 10, now, now.plusSeconds(90), running)).hasSize(1);

        assertThat(store.queueClaims(null, now)).containsExactlyInAnyOrder(
                new QueueClaim(one.id(), gone.encode(), now.plusSeconds(60), 2),
                new QueueClaim(two.id(), running.encode(), now.plusSeconds(90), 1));
        assertThat(store.queueClaims(List.of(two.id()), now)).singleElement()
                .satisfies(c -> assertThat(c.holder()).contains(running));
        assertThat(store.queueClaims(List.of(), now)).isEmpty();
        assertThat(store.queueClaims(null, now.plusSeconds(60))).as("a claim that ran out holds nothing")
                .extracting(QueueClaim::taskId).containsExactly(two.id());

        assertThat(store.releaseQueueClaims(gone.encode(), now)).isEqualTo(2);
        assertThat(store.queueClaims(null, now)).extracting(QueueClaim::taskId).containsExactly(two.id());
        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60), running))
                .as("free again at once; the other claimant's entry stays claimed")
                .extracting(PendingDelete::storageKey).containsExactlyInAnyOrder("one/a", "one/b");
    }

    @Test
    void claimingCanBeLimitedToSomeTasks() {
        Task one = insert(a.aTask("one"));
        Task two = insert(a.aTask("two"));
        add(a.anArtifact(one.id(), ArtifactKind.ARTIFACT, "one/a", 1));
        add(a.anArtifact(two.id(), ArtifactKind.ARTIFACT, "two/a", 1));
        store.markForDeletion(whole(one));
        store.markForDeletion(whole(two));
        Instant now = clock.instant();

        assertThat(store.claimPendingDeletes(List.of(), 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.claimPendingDeletes(List.of(two.id()), 10, now, now.plusSeconds(60)))
                .extracting(PendingDelete::storageKey).containsExactly("two/a");
        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60)))
                .extracting(PendingDelete::storageKey).containsExactly("one/a");
    }

    @Test
    void anEntryWhoseKeyIsLiveAgainIsDroppedAndNotClaimed() {
        insert(a.aQueuedJob("writer", "q"));
        Instant now = clock.instant();
        Task writer = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact upload = add(a.aPendingArtifact(writer.id(), ArtifactKind.ARTIFACT, "shared/object", 9));
        Task doomed = insert(a.aTask("doomed"));
        add(a.anArtifact(doomed.id(), ArtifactKind.ARTIFACT, "shared/object", 9));
        assertThat(store.markForDeletion(whole(doomed)).queuedKeys()).containsExactly("shared/object");
        store.finishJob(writer.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(upload.id()), now);
        now = clock.instant();

        assertThat(store.claimPendingDeletes(null, 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.finishDeletion(doomed.id(), now)).contains(new FinishResult(doomed.id(), true, 1, 0, 0));
        assertThat(store.isReferencedByLiveArtifact("shared/object")).isTrue();
    }

    @Test
    void aFailedEntryIsRetriedNoEarlierThanItsRetryTime() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/stubborn", 1));
        store.markForDeletion(whole(t));
        Instant now = clock.instant();
        PendingDelete entry = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60)).get(0);

        store.failPendingDelete(entry.id(), "access denied", now.plusSeconds(300));

        assertThat(store.pendingDeletes(10)).containsExactly(
                new PendingDelete(entry.id(), "t/stubborn", t.id(), 1, 1, "access denied"));
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(299), now.plusSeconds(400))).isEmpty();
        assertThat(store.claimPendingDeletes(null, 10, now.plusSeconds(300), now.plusSeconds(400)))
                .extracting(PendingDelete::attempts).containsExactly(1);
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
    }

    @Test
    void aWholeTaskEntryWithObjectsThatFailedIsSplitAndTheTaskFinishesWithEveryObjectCounted() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 20));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/c", 3));
        store.markAllForDeletion(List.of(whole(t)));
        Instant now = clock.instant();
        PendingDelete entry = store.claimPendingDeletes(List.of(t.id()), 10, now, now.plusSeconds(60)).get(0);
        Instant retryAt = now.plusSeconds(30);

        store.splitWholeTaskEntry(entry, 1, 100, List.of(new PendingDelete(0, "t/b", t.id(), 20, 1, "disk on fire"),
                new PendingDelete(0, "t/c", t.id(), 3, 1, "disk on fire")), retryAt);

        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey, PendingDelete::attempts, PendingDelete::lastError)
                .containsExactlyInAnyOrder(tuple("t/b", 1, "disk on fire"), tuple("t/c", 1, "disk on fire"));
        assertThat(store.claimPendingDeletes(List.of(t.id()), 10, now, now.plusSeconds(60))).isEmpty();
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
        // a second split of the same entry (another purger's) changes nothing
        store.splitWholeTaskEntry(entry, 0, 0, List.of(new PendingDelete(0, "t/a", t.id(), 100, 1, "late")), retryAt);
        assertThat(store.pendingDeletes(10)).hasSize(2);

        List<PendingDelete> retried = store.claimPendingDeletes(List.of(t.id()), 10, retryAt, retryAt.plusSeconds(60));
        assertThat(store.finishDeletions(List.of(t.id()), retried.stream().map(PendingDelete::id).toList(), retryAt))
                .containsExactly(new FinishResult(t.id(), true, 3, 3, 123));
        assertThat(store.pendingDeletes(10)).isEmpty();
    }

    // ---- finishing ---------------------------------------------------------------------------

    /** Gives {@code t} the artifacts t/a (100 bytes) and t/b (23 bytes), marks it and claims both entries. */
    private List<PendingDelete> markedAndClaimed(Task t) {
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 23));
        store.markForDeletion(whole(t));
        return store.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plusSeconds(60));
    }

    /** The entry among {@code entries} that queues {@code storageKey}. */
    private static PendingDelete entryOf(List<PendingDelete> entries, String storageKey) {
        return entries.stream().filter(p -> p.storageKey().equals(storageKey)).findFirst().orElseThrow();
    }

    @Test
    void completedEntriesAreNoLongerPendingButStillCountWhenTheDeletionFinishes() {
        Task t = insert(a.aTask("t"));
        List<PendingDelete> claimed = markedAndClaimed(t);
        PendingDelete entryOfA = entryOf(claimed, "t/a");
        PendingDelete entryOfB = entryOf(claimed, "t/b");
        Instant now = clock.instant();

        store.completePendingDeletes(List.of(entryOfA.id()));
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::id).containsExactly(entryOfB.id());
        assertThat(store.finishDeletion(t.id(), now)).isEmpty();
        assertThat(reload(t).isLive()).isFalse();

        store.completePendingDeletes(List.of(entryOfB.id()));
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.finishDeletion(t.id(), now)).contains(new FinishResult(t.id(), true, 2, 2, 123));
    }

    @Test
    void finishingWithTheDeletedEntriesCountsThemAndLeavesNoneBehind() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/b", 23));
        Task u = insert(a.aTask("u"));
        add(a.anArtifact(u.id(), ArtifactKind.ARTIFACT, "u/a", 7));
        add(a.anArtifact(u.id(), ArtifactKind.ARTIFACT, "u/b", 8));
        // an entry per object for t, one whole-task entry for u
        store.markForDeletion(whole(t));
        store.markAllForDeletion(List.of(whole(u)));
        Instant now = clock.instant();
        List<PendingDelete> claimed = store.claimPendingDeletes(null, 10, now, now.plusSeconds(60));
        assertThat(claimed).hasSize(3);
        // an entry completed earlier (a previous batch) counts as well
        PendingDelete first = claimed.stream().filter(p -> p.storageKey().equals("t/a")).findFirst().orElseThrow();
        store.completePendingDeletes(List.of(first.id()));

        List<FinishResult> finished = store.finishDeletions(List.of(t.id(), u.id()),
                claimed.stream().map(PendingDelete::id).filter(id -> id != first.id()).toList(), now);

        assertThat(finished).containsExactlyInAnyOrder(new FinishResult(t.id(), true, 2, 2, 123),
                new FinishResult(u.id(), true, 2, 2, 15));
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.findTask(t.id())).isEmpty();
        assertThat(store.findTask(u.id())).isEmpty();
        assertThat(store.audit(10)).extracting(AuditRecord::objects).containsExactlyInAnyOrder(2L, 2L);
    }

    @Test
    void finishingWithSomeEntriesStillOpenRecordsTheDeletedOnesAsDoneAndKeepsTheTask() {
        Task t = insert(a.aTask("t"));
        List<PendingDelete> claimed = markedAndClaimed(t);
        PendingDelete entryOfA = entryOf(claimed, "t/a");
        PendingDelete entryOfB = entryOf(claimed, "t/b");
        Instant now = clock.instant();

        assertThat(store.finishDeletions(List.of(t.id()), List.of(entryOfA.id()), now)).isEmpty();

        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::id).containsExactly(entryOfB.id());
        assertThat(reload(t).isLive()).isFalse();
        assertThat(store.finishDeletions(List.of(t.id()), List.of(entryOfB.id()), now))
                .containsExactly(new FinishResult(t.id(), true, 2, 2, 123));
    }

    @Test
    void finishingCountsOnlyTheObjectsRecordedAsExisting() {
        Task t = insert(a.aTask("t"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 100));
        add(a.aPendingArtifact(t.id(), ArtifactKind.ARTIFACT, "t/never-written", 23));
        store.markForDeletion(whole(t));
        List<PendingDelete> claimed = store.claimPendingDeletes(null, 10, clock.instant(), clock.instant().plusSeconds(60));
        PendingDelete absent = claimed.stream().filter(p -> p.storageKey().equals("t/never-written")).findFirst().orElseThrow();

        store.recordDeletedObjects(List.of(new DeletedObjects(absent.id(), 0, 0)));
        store.completePendingDeletes(claimed.stream().map(PendingDelete::id).toList());

        assertThat(store.finishDeletion(t.id(), clock.instant())).hasValueSatisfying(f -> {
            assertThat(f.objects()).isEqualTo(1);
            assertThat(f.bytes()).isEqualTo(100);
        });
        assertThat(store.audit(1).get(0).objects()).isEqualTo(1);
        assertThat(store.audit(1).get(0).bytes()).isEqualTo(100);
    }

    @Test
    void finishingManyTasksInOneCallFinishesEachAsFinishingItAloneWould() {
        Task parent = insert(a.aTask("parent").project("vision"));
        add(a.anArtifact(parent.id(), ArtifactKind.ARTIFACT, "parent/a", 5));
        Task empty = insert(a.aTask("empty"));
        Task canceled = insert(a.aTask("canceled"));
        add(a.anArtifact(canceled.id(), ArtifactKind.ARTIFACT, "canceled/a", 3));
        Task waiting = insert(a.aTask("waiting"));
        add(a.anArtifact(waiting.id(), ArtifactKind.ARTIFACT, "waiting/a", 1));
        Task live = insert(a.aTask("live"));
        store.markAllForDeletion(List.of(whole(parent), whole(empty), artifactsOnly(canceled), whole(waiting)));
        // a child created after its parent was marked still points at it until the parent finishes
        Task child = insert(a.aTask("late child").parentId(parent.id()));
        Instant now = clock.instant();
        List<PendingDelete> claimed = store.claimPendingDeletes(List.of(parent.id(), canceled.id()), 10, now,
                now.plusSeconds(60));
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        List<FinishResult> finished = store.finishDeletions(List.of(waiting.id(), parent.id(), "unknown", live.id(), empty.id(),
                canceled.id(), parent.id()), claimed.stream().map(PendingDelete::id).toList(), at);

        assertThat(finished).containsExactly(new FinishResult(parent.id(), true, 1, 1, 5),
                new FinishResult(empty.id(), true, 0, 0, 0), new FinishResult(canceled.id(), false, 1, 1, 3));
        assertThat(store.findTask(parent.id())).isEmpty();
        assertThat(store.findTask(empty.id())).isEmpty();
        assertThat(reload(canceled).isLive()).isTrue();
        assertThat(store.artifactsOf(canceled.id())).isEmpty();
        assertThat(reload(waiting).isLive()).isFalse();
        assertThat(store.pendingDeletes(10)).extracting(PendingDelete::storageKey)
                .containsExactly(PendingDelete.wholeTaskKey(waiting.id()));
        assertThat(reload(live)).isEqualTo(live);
        assertThat(reload(child).parentId()).isEqualTo(Task.DELETED_PARENT);
        assertThat(store.audit(10)).extracting(AuditRecord::taskId, AuditRecord::action, AuditRecord::project, AuditRecord::objects)
                .containsExactlyInAnyOrder(tuple(parent.id(), "delete-task", "vision", 1L),
                        tuple(empty.id(), "delete-task", TestTasks.PROJECT, 0L),
                        tuple(canceled.id(), "delete-artifacts", TestTasks.PROJECT, 1L));
    }

    @Test
    void finishingRemovesTheTaskWithEverythingItOwnedAndAppendsAnAudit() {
        Task producer = insert(a.aTask("producer"));
        Artifact input = add(a.aModel(producer.id(), "p/model", 1));
        Task t = insert(a.aTask("finished").project("vision").tags(Set.of("x")).systemTags(Set.of(Task.ARCHIVED))
                .archivedAt(clock.instant()).inputModels(List.of(input.id())));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 10));
        add(a.anArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "t/b", 20));
        store.appendConsole(t.id(), "output");
        store.markForDeletion(DeletionMark.wholeTask(t.id(), t.version()).refusingPublished(true)
                .because("archived 30 days ago", "cleanup-service", clock.instant()));
        purge(null);
        Instant at = clock.advance(Duration.ofSeconds(1)).instant();

        FinishResult f = store.finishDeletion(t.id(), at).orElseThrow();

        assertThat(f).isEqualTo(new FinishResult(t.id(), true, 2, 2, 30));
        assertThat(store.findTask(t.id())).isEmpty();
        assertThat(store.artifactsOf(t.id())).isEmpty();
        assertThat(store.readConsole(t.id())).isEmpty();
        assertThat(store.query(q().includeDeleting(true).build()).items()).extracting(Task::id).containsExactly(producer.id());
        assertThat(store.unfinishedDeletions(10)).isEmpty();
        assertThat(store.pendingDeletes(10)).isEmpty();
        assertThat(store.audit(10)).containsExactly(new AuditRecord(at, "cleanup-service", "delete-task", t.id(), "finished",
                "vision", "archived 30 days ago", 2, 30));
        assertThat(store.findArtifact(input.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        assertThat(store.finishDeletion(t.id(), at)).isEmpty();
    }

    @Test
    void aMarkedTaskWithoutArtifactsFinishesAtOnce() {
        Task t = insert(a.aTask("empty"));
        store.markForDeletion(whole(t));
        assertThat(store.finishDeletion(t.id(), clock.instant())).contains(new FinishResult(t.id(), true, 0, 0, 0));
    }

    @Test
    void finishingATaskWithoutADeletionInProgressDoesNothing() {
        Task t = insert(a.aTask("live"));
        add(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t/a", 1));
        assertThat(store.finishDeletion(t.id(), clock.instant())).isEmpty();
        assertThat(store.finishDeletion("unknown", clock.instant())).isEmpty();
        assertThat(reload(t)).isEqualTo(t);
        assertThat(store.artifactsOf(t.id())).hasSize(1);
        assertThat(store.audit(10)).isEmpty();
    }

    @Test
    void unfinishedDeletionsListsMarkedTasksAndTasksWithArtifactsBeingDeleted() {
        Task whole = insert(a.aTask("whole"));
        Task partly = insert(a.aTask("partly"));
        add(a.anArtifact(partly.id(), ArtifactKind.ARTIFACT, "p/a", 1));
        Task untouched = insert(a.aTask("untouched"));
        store.markForDeletion(whole(whole));
        store.markForDeletion(artifactsOnly(partly));
        assertThat(store.unfinishedDeletions(10)).containsExactlyInAnyOrder(whole.id(), partly.id()).doesNotContain(untouched.id());
        assertThat(store.unfinishedDeletions(1)).hasSize(1);
    }
}
