package dev.reclaim.testkit;

import dev.reclaim.StoreException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactCatalog.BatchRegistration;
import dev.reclaim.store.ArtifactCatalog.Registration;
import dev.reclaim.store.StorageKeys;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bulk writes and artifact metrics: {@link dev.reclaim.store.TaskCatalog#insertTasks} and
 * {@link dev.reclaim.store.ArtifactCatalog#registerBatch} are all or nothing;
 * {@link dev.reclaim.store.ArtifactCatalog#setArtifactMetrics} merges into a LIVE artifact's metrics,
 * which {@link dev.reclaim.store.ArtifactCatalog#metricsOf} reads and which go with the artifact's record.
 */
public abstract class BulkArtifactsContract extends TaskStoreFixture {
    private Artifact ref(Task t, String name, String key) {
        return new Artifact(a.nextId(), t.id(), ArtifactKind.MODEL, name, StorageKeys.mounted("ckpt", key), 10,
                clock.instant(), false, ArtifactState.LIVE);
    }

    @Test
    void manyTasksAreInsertedTogetherOrNotAtAll() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            tasks.add(a.aTask("t" + i).tags(Set.of("bulk")).build());
        }
        store.insertTasks(tasks);
        assertThat(store.findTask(tasks.get(1199).id())).hasValueSatisfying(t -> {
            assertThat(t.tags()).containsExactly("bulk");
            assertThat(t.version()).isZero();
        });

        Task fresh = a.aTask("fresh").build();
        assertThatThrownBy(() -> store.insertTasks(List.of(fresh, tasks.get(3).toBuilder().build())))
                .isInstanceOf(StoreException.class).hasMessageContaining(tasks.get(3).id());
        assertThat(store.findTask(fresh.id())).as("nothing of a refused batch").isEmpty();
    }

    @Test
    void aBatchRegistersEveryRecordWithItsMetricsOrNothing() {
        Task t = insert(a.aTask("t"));
        Artifact one = ref(t, "epoch-1.ckpt", "runs/1.ckpt");
        Artifact two = ref(t, "epoch-2.ckpt", "runs/2.ckpt");

        BatchRegistration r = store.registerBatch(List.of(one, two), List.of(),
                Map.of(one.id(), Map.of("val_loss", 0.5), two.id(), Map.of("val_loss", 0.25, "acc", 0.9)));

        assertThat(r.registered()).isTrue();
        assertThat(store.artifactsOf(t.id())).extracting(Artifact::id).containsExactly(one.id(), two.id());
        assertThat(store.metricsOf(List.of(one.id(), two.id(), "unknown"))).isEqualTo(Map.of(
                one.id(), Map.of("val_loss", 0.5), two.id(), Map.of("acc", 0.9, "val_loss", 0.25)));
    }

    @Test
    void oneRefusedRecordRegistersNothingAndNamesItsPosition() {
        Task t = insert(a.aTask("t"));
        Task gone = a.aTask("never stored").build();
        Artifact fine = ref(t, "a.ckpt", "runs/a.ckpt");
        Artifact sameNameAgain = ref(t, "a.ckpt", "runs/b.ckpt");

        BatchRegistration twice = store.registerBatch(List.of(fine, sameNameAgain), List.of(), Map.of());
        assertThat(twice).isEqualTo(new BatchRegistration(Registration.NAME_TAKEN, 1));
        BatchRegistration missing = store.registerBatch(List.of(fine, ref(gone, "b.ckpt", "runs/c.ckpt")), List.of(),
                Map.of(fine.id(), Map.of("val_loss", 1.0)));
        assertThat(missing).isEqualTo(new BatchRegistration(Registration.TASK_NOT_LIVE, 1));

        assertThat(store.artifactsOf(t.id())).isEmpty();
        assertThat(store.metricsOf(List.of(fine.id()))).isEmpty();

        assertThat(store.enqueueOrphans(List.of(StorageKeys.mounted("ckpt", "runs/q.ckpt")), clock.instant())).isEqualTo(1);
        assertThat(store.registerBatch(List.of(fine, ref(t, "q.ckpt", "runs/q.ckpt")), List.of(), Map.of()))
                .isEqualTo(new BatchRegistration(Registration.KEY_QUEUED, 1));
        assertThat(store.artifactsOf(t.id())).isEmpty();
    }

    @Test
    void aTakenNameIsFreeOnlyForTheArtifactsTheBatchReplaces() {
        Task t = insert(a.aTask("t"));
        Artifact old = ref(t, "best.ckpt", "runs/old.ckpt");
        assertThat(store.registerArtifact(old, List.of())).isEqualTo(Registration.REGISTERED);
        Artifact newer = ref(t, "best.ckpt", "runs/new.ckpt");

        assertThat(store.registerBatch(List.of(newer), List.of(), Map.of()))
                .isEqualTo(new BatchRegistration(Registration.NAME_TAKEN, 0));
        assertThat(store.registerBatch(List.of(newer), List.of(old.id()), Map.of()).registered()).isTrue();
    }

    @Test
    void metricsMergeIntoALiveArtifactsAndGoWithItsRecord() {
        Task t = insert(a.aTask("t"));
        Artifact m = add(a.aModel(t.id(), "tasks/" + t.id() + "/m.bin", 5));
        Artifact pending = add(a.aPendingArtifact(t.id(), ArtifactKind.MODEL, "tasks/" + t.id() + "/p.bin", 5));

        assertThat(store.setArtifactMetrics(m.id(), Map.of("val_loss", 0.31, "acc", 0.5))).isTrue();
        assertThat(store.setArtifactMetrics(m.id(), Map.of("val_loss", 0.29))).isTrue();
        assertThat(store.metricsOf(List.of(m.id()))).isEqualTo(Map.of(m.id(), Map.of("acc", 0.5, "val_loss", 0.29)));
        assertThat(store.metricsOf(List.of(m.id())).get(m.id()).keySet()).as("names in order").containsExactly("acc", "val_loss");

        assertThat(store.setArtifactMetrics(pending.id(), Map.of("val_loss", 1.0))).as("not LIVE").isFalse();
        assertThat(store.setArtifactMetrics("unknown", Map.of("val_loss", 1.0))).isFalse();
        assertThat(store.metricsOf(List.of(pending.id()))).isEmpty();

        deleteCompletely(reload(t));
        assertThat(store.findArtifact(m.id())).isEmpty();
        assertThat(store.metricsOf(List.of(m.id()))).as("gone with the record").isEmpty();
    }
}
