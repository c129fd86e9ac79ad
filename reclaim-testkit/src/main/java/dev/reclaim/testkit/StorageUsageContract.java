package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MarkResult.Outcome;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.Group;
import dev.reclaim.store.StorageUsage.TaskSize;
import dev.reclaim.store.StorageUsage.UsageDay;
import dev.reclaim.store.StorageUsage.UsageQuery;
import dev.reclaim.store.StorageUsage.UsageReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The {@link dev.reclaim.store.StorageUsage} rules: usage is kept in the same transaction as every
 * change to a LIVE artifact or to what its task is grouped by, so a report always equals a recount
 * of the records, compacted or not.
 */
public abstract class StorageUsageContract extends TaskStoreFixture {

    private UsageReport by(Dimension... dims) {
        return store.usage(new UsageQuery(List.of(dims), 10, clock.instant()));
    }

    private Task taskIn(String project) {
        return insert(a.aTask("t").project(project));
    }

    @Test
    void liveArtifactsAreSummedByProjectAndKind() {
        Task v = taskIn("vision");
        Task n = taskIn("nlp");
        add(a.anArtifact(v.id(), ArtifactKind.MODEL, "tasks/" + v.id() + "/m1", 100));
        add(a.anArtifact(v.id(), ArtifactKind.MODEL, "tasks/" + v.id() + "/m2", 50));
        add(a.anArtifact(v.id(), ArtifactKind.DEBUG_SAMPLE, "tasks/" + v.id() + "/d", 7));
        add(a.anArtifact(n.id(), ArtifactKind.MODEL, "tasks/" + n.id() + "/m", 30));
        add(a.aPendingArtifact(n.id(), ArtifactKind.MODEL, "tasks/" + n.id() + "/p", 1000)); // not stored yet

        UsageReport r = by(Dimension.PROJECT, Dimension.KIND);

        assertThat(r.groups()).extracting(Group::key, Group::objects, Group::bytes).containsExactly(
                tuple(List.of("vision", "MODEL"), 2L, 150L),
                tuple(List.of("nlp", "MODEL"), 1L, 30L),
                tuple(List.of("vision", "DEBUG_SAMPLE"), 1L, 7L));
        assertThat(r.objects()).isEqualTo(4);
        assertThat(r.bytes()).isEqualTo(187);
        assertThat(r.topTasks()).extracting(TaskSize::taskId, TaskSize::bytes).containsExactly(tuple(v.id(), 157L),
                tuple(n.id(), 30L));
        assertThat(r.topProjects()).extracting(Group::key).containsExactly(List.of("vision"), List.of("nlp"));
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void aTaskThatIsArchivedOrChangesStatusMovesItsBytesWithIt() {
        Task t = taskIn("vision");
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "tasks/" + t.id() + "/m", 100));

        Task archived = store.replaceTask(reload(t).toBuilder().status(TaskStatus.COMPLETED)
                .systemTags(Set.of(Task.ARCHIVED)).archivedAt(clock.instant()).build(), reload(t).version()).orElseThrow();

        assertThat(by(Dimension.STATUS, Dimension.ARCHIVED).groups()).extracting(Group::key, Group::bytes)
                .containsExactly(tuple(List.of("COMPLETED", "true"), 100L));
        store.replaceTask(archived.toBuilder().project("moved").build(), archived.version()).orElseThrow();
        assertThat(by(Dimension.PROJECT).groups()).extracting(Group::key, Group::bytes)
                .containsExactly(tuple(List.of("moved"), 100L));
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void markedArtifactsStopCountingAndADeletedTaskLeavesNothing() {
        Task t = taskIn("vision");
        Task other = taskIn("vision");
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "tasks/" + t.id() + "/m", 100));
        add(a.anArtifact(other.id(), ArtifactKind.MODEL, "tasks/" + other.id() + "/m", 1));

        assertThat(store.markForDeletion(whole(reload(t))).outcome()).isEqualTo(Outcome.MARKED);
        assertThat(by().bytes()).isEqualTo(1);
        purge(List.of(t.id()));
        store.finishDeletion(t.id(), clock.instant()).orElseThrow();

        UsageReport r = by(Dimension.PROJECT);
        assertThat(r.bytes()).isEqualTo(1);
        assertThat(r.topTasks()).extracting(TaskSize::taskId).containsExactly(other.id());
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void aModelKeptAfterItsTaskIsDeletedCountsAsDetached() {
        Task t = taskIn("vision");
        Artifact m = add(a.aModel(t.id(), "tasks/" + t.id() + "/m", 100));
        DeletionMark keepModels = DeletionMark.wholeTask(t.id(), reload(t).version()).deletingOutputModels(false)
                .because("tested", "tester", clock.instant());

        assertThat(store.markForDeletion(keepModels).outcome()).isEqualTo(Outcome.MARKED);
        purge(List.of(t.id()));
        store.finishDeletion(t.id(), clock.instant()).orElseThrow();

        assertThat(store.findArtifact(m.id()).orElseThrow().taskId()).isNull();
        assertThat(by(Dimension.STATUS, Dimension.PROJECT).groups()).extracting(Group::key, Group::bytes)
                .containsExactly(tuple(List.of("DETACHED", ""), 100L));
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void compactionChangesNoReport() {
        Task t = taskIn("vision");
        for (int i = 0; i < 5; i++) {
            add(a.anArtifact(t.id(), ArtifactKind.DEBUG_SAMPLE, "tasks/" + t.id() + "/d" + i, 10 + i));
        }
        UsageReport before = by(Dimension.PROJECT, Dimension.KIND, Dimension.OWNER);

        store.compactUsage();
        store.compactUsage();

        assertThat(by(Dimension.PROJECT, Dimension.KIND, Dimension.OWNER)).isEqualTo(before);
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void agesAreBucketedByWhenTheTaskWasCreated() {
        Task old = insert(a.aTask("old").project("p"));
        add(a.anArtifact(old.id(), ArtifactKind.LOG, "tasks/" + old.id() + "/l", 5));
        clock.advance(Duration.ofDays(40));
        Task young = insert(a.aTask("young").project("p"));
        add(a.anArtifact(young.id(), ArtifactKind.LOG, "tasks/" + young.id() + "/l", 3));

        assertThat(by(Dimension.AGE).groups()).extracting(Group::key, Group::bytes)
                .containsExactly(tuple(List.of("30-90d"), 5L), tuple(List.of("<7d"), 3L));
    }

    @Test
    void theHistoryCountsBytesFromTheirTasksCreationToTheDayTheirDeletionWasAudited() {
        Task first = taskIn("vision");
        add(a.anArtifact(first.id(), ArtifactKind.MODEL, "tasks/" + first.id() + "/m", 100));
        clock.advance(Duration.ofDays(2));
        Task second = taskIn("vision");
        add(a.anArtifact(second.id(), ArtifactKind.MODEL, "tasks/" + second.id() + "/m", 50));
        clock.advance(Duration.ofDays(1));
        assertThat(store.markForDeletion(whole(reload(first))).outcome()).isEqualTo(Outcome.MARKED);
        purge(List.of(first.id()));
        store.finishDeletion(first.id(), clock.instant()).orElseThrow();
        clock.advance(Duration.ofDays(1));

        List<UsageDay> days = store.history(6, clock.instant());

        LocalDate start = LocalDate.ofInstant(SettableClock.DEFAULT_START, ZoneOffset.UTC);
        assertThat(days).extracting(UsageDay::day, UsageDay::objects, UsageDay::bytes, UsageDay::addedBytes,
                UsageDay::freedBytes).containsExactly(
                tuple(start.minusDays(1), 0L, 0L, 0L, 0L),
                tuple(start, 1L, 100L, 100L, 0L),
                tuple(start.plusDays(1), 1L, 100L, 0L, 0L),
                tuple(start.plusDays(2), 2L, 150L, 50L, 0L),
                tuple(start.plusDays(3), 1L, 50L, 0L, 100L),
                tuple(start.plusDays(4), 1L, 50L, 0L, 0L));
    }

    @Test
    void aHistoryStartingAfterTheCreationCountsEverythingFromItsFirstDay() {
        Task t = taskIn("vision");
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "tasks/" + t.id() + "/m", 100));
        clock.advance(Duration.ofDays(10));

        assertThat(store.history(2, clock.instant())).extracting(UsageDay::bytes, UsageDay::addedBytes)
                .containsExactly(tuple(100L, 0L), tuple(100L, 0L));
    }

    @Test
    void aRepairRebuildsWhatIsKeptFromTheRecords() {
        Task t = taskIn("vision");
        add(a.anArtifact(t.id(), ArtifactKind.MODEL, "tasks/" + t.id() + "/m", 100));
        UsageReport before = by(Dimension.PROJECT);

        store.repairUsage();

        assertThat(by(Dimension.PROJECT)).isEqualTo(before);
        assertThat(store.checkUsage(10)).isEmpty();
    }

    @Test
    void aTopOutsideZeroToAThousandIsRefused() {
        assertThatThrownBy(() -> new UsageQuery(List.of(), 1001, clock.instant()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("0..1000");
    }
}
