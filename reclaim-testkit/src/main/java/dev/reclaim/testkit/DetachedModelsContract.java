package dev.reclaim.testkit;

import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.FunctionJob;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Models detached from their deleted task (docs/rules.md section 3: kept while another task uses
 * them, or when published): deleted with their last user by every deletion path, found by fsck
 * when left behind, and removable on request. Run against every pair of backends.
 */
public abstract class DetachedModelsContract extends ReclaimContract {

    private Task task(String name, TaskStatus status) {
        return reclaim.tasks().create(new NewTask(name, null, null, status, Set.of(), null, Map.of()));
    }

    /** A 1,000-byte model of {@code producer}, used as input by each of {@code users}. */
    private Artifact modelOf(Task producer, Task... users) throws Exception {
        Artifact model = reclaim.tasks().addArtifact(producer.id(), ArtifactKind.MODEL, "model.ckpt",
                Files.write(tmp.resolve(producer.id() + ".ckpt"), new byte[1000]));
        for (Task u : users) {
            reclaim.tasks().addInputModel(u.id(), model.id());
        }
        return model;
    }

    private boolean gone(Artifact model) {
        return tasks.findArtifact(model.id()).isEmpty() && artifacts.stat(model.storageKey()).isEmpty();
    }

    /** A model whose producer was deleted while a user had it, and whose user then dropped it: what older versions left. */
    private Artifact leakedModel() throws Exception {
        Task producer = task("producer", TaskStatus.CREATED);
        Task user = task("user", TaskStatus.CREATED);
        Artifact model = modelOf(producer, user);
        reclaim.tasks().delete(producer.id(), DeleteOptions.DEFAULTS);
        Task u = tasks.findTask(user.id()).orElseThrow();
        tasks.replaceTask(u.toBuilder().inputModels(List.of()).build(), u.version()).orElseThrow();
        return model;
    }

    @Test
    void deletingTheLastUserOfAKeptModelDeletesTheModelToo() throws Exception {
        Task producer = task("producer", TaskStatus.CREATED);
        Task first = task("first", TaskStatus.CREATED);
        Task last = task("last", TaskStatus.CREATED);
        Artifact model = modelOf(producer, first, last);

        assertThat(reclaim.tasks().delete(producer.id(), DeleteOptions.DEFAULTS).updatedModels()).isEqualTo(1);
        assertThat(reclaim.tasks().delete(first.id(), DeleteOptions.DEFAULTS).deletedModels()).isZero();
        assertThat(tasks.findArtifact(model.id())).isPresent();
        DeleteResult r = reclaim.tasks().delete(last.id(), DeleteOptions.DEFAULTS);

        assertThat(r.deleted()).isTrue();
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(r.objects()).isEqualTo(1);
        assertThat(r.bytes()).isEqualTo(1000);
        assertThat(gone(model)).isTrue();
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void cleaningUpTheJobThatLastUsedAKeptModelDeletesTheModelToo() throws Exception {
        Task producer = task("producer", TaskStatus.CREATED);
        JobHandle job = reclaim.jobs().submit(FunctionJob.of("finetune", ctx -> "ok"), ComputeContext.local());
        Artifact model = modelOf(producer, tasks.findTask(job.id()).orElseThrow());
        reclaim.tasks().delete(producer.id(), DeleteOptions.DEFAULTS);

        CleanupReport r = reclaim.jobs().cleanup(job.id(), true, DeletionListener.NONE);

        assertThat(r.outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
        assertThat(r.bytes()).isGreaterThanOrEqualTo(1000);
        assertThat(gone(model)).isTrue();
    }

    @Test
    void fsckReportsADetachedModelWithNoUserAndRepairDeletesIt() throws Exception {
        Artifact model = leakedModel();

        FsckReport found = reclaim.fsck().check();
        FsckReport repaired = reclaim.fsck().repair();

        assertThat(found.consistent()).isFalse();
        assertThat(found.detachedModels().unusedCount()).isEqualTo(1);
        assertThat(found.detachedModels().unused()).singleElement().asString().contains(model.id()).contains(model.storageKey());
        assertThat(repaired.consistent()).isTrue();
        assertThat(repaired.detachedModels().unusedCount()).isZero();
        assertThat(gone(model)).isTrue();
        assertThat(tasks.audit(1)).singleElement().satisfies(a -> {
            assertThat(a.action()).isEqualTo("delete-model");
            assertThat(a.taskId()).isEqualTo(model.id());
        });
    }

    @Test
    void aPublishedModelOutlivesItsUsersIsListedByFsckAndDeletedOnlyWithForce() throws Exception {
        Task producer = task("producer", TaskStatus.COMPLETED);
        Task user = task("user", TaskStatus.CREATED);
        Artifact model = modelOf(producer, user);
        reclaim.tasks().publish(producer.id());
        reclaim.tasks().delete(producer.id(), DeleteOptions.force(true));
        reclaim.tasks().delete(user.id(), DeleteOptions.DEFAULTS);

        FsckReport found = reclaim.fsck().repair();
        DeletionReport refused = reclaim.deleter().deleteDetachedModel(model.id(), false, "alice", "not needed",
                DeletionListener.NONE);

        assertThat(found.consistent()).isTrue();
        assertThat(found.detachedModels().keptCount()).isEqualTo(1);
        assertThat(found.detachedModels().kept()).singleElement().asString().contains(model.id()).contains("published");
        assertThat(refused.outcome()).isEqualTo(DeletionReport.Outcome.REFUSED);
        assertThat(refused.message()).contains("published").contains("force");
        assertThat(tasks.findArtifact(model.id())).isPresent();

        DeletionReport deleted = reclaim.deleter().deleteDetachedModel(model.id(), true, "alice", "not needed",
                DeletionListener.NONE);

        assertThat(deleted.outcome()).isEqualTo(DeletionReport.Outcome.DELETED);
        assertThat(deleted.objects()).isEqualTo(1);
        assertThat(deleted.bytes()).isEqualTo(1000);
        assertThat(gone(model)).isTrue();
        assertThat(reclaim.fsck().check().detachedModels().keptCount()).isZero();
    }

    @Test
    void aModelKeptOnRequestOutlivesItsUsersAndIsListedAsKept() throws Exception {
        Task producer = task("producer", TaskStatus.CREATED);
        Task user = task("user", TaskStatus.CREATED);
        Artifact model = modelOf(producer, user);
        reclaim.tasks().delete(producer.id(), DeleteOptions.DEFAULTS.deletingOutputModels(false));
        reclaim.tasks().delete(user.id(), DeleteOptions.DEFAULTS);

        FsckReport found = reclaim.fsck().repair();

        assertThat(found.consistent()).isTrue();
        assertThat(found.detachedModels().kept()).singleElement().asString().contains(model.id()).contains("kept on request");
        assertThat(artifacts.stat(model.storageKey())).isPresent();
    }

    @Test
    void onlyAModelWithoutATaskCanBeDeletedOnItsOwn() throws Exception {
        Task producer = task("producer", TaskStatus.CREATED);
        Artifact model = modelOf(producer);

        DeletionReport r = reclaim.deleter().deleteDetachedModel(model.id(), true, "alice", "why", DeletionListener.NONE);

        assertThat(r.outcome()).isEqualTo(DeletionReport.Outcome.NOT_FOUND);
        assertThat(r.message()).contains(producer.id());
        assertThat(artifacts.stat(model.storageKey())).isPresent();
    }
}
