package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.tasks.ArchiveResult;
import dev.reclaim.tasks.DeleteManyResult;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The task catalog contract (docs/rules.md section 3: create, publish, artifacts, inputs,
 * archive/unarchive, delete and deleteMany with every force rule and effect), run against every
 * pair of backends.
 */
public abstract class TasksContract extends ReclaimContract {

    protected Task draft(String name) {
        return reclaim.tasks().create(NewTask.draft(name));
    }

    protected Task withStatus(String name, TaskStatus status) {
        return reclaim.tasks().create(new NewTask(name, null, null, status, Set.of(), null, Map.of()));
    }

    protected Artifact attach(Task t, ArtifactKind kind, String name) {
        try {
            Path f = Files.createTempFile(tmp, "in", ".bin");
            Files.writeString(f, name + " content");
            return reclaim.tasks().addArtifact(t.id(), kind, name, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected void archive(Task t) {
        reclaim.tasks().archive(List.of(t.id()));
    }

    protected boolean stored(Artifact a) {
        return artifacts.stat(a.storageKey()).isPresent();
    }

    // ---- create, status, publish, artifacts, inputs -------------------------------------------

    @Test
    void aNewTaskIsADraftInTheDefaultProject() {
        Task t = draft("exp-1");
        assertThat(t.status()).isEqualTo(TaskStatus.CREATED);
        assertThat(t.project()).isEqualTo(Task.DEFAULT_PROJECT);
        assertThat(t.archivedAt()).isNull();
    }

    @Test
    void aTaskNeedsANameAndCannotStartQueuedOrRunning() {
        assertThatThrownBy(() -> NewTask.draft(" ")).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> withStatus("x", TaskStatus.RUNNING)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void statusChangedMovesOnlyOnAStatusChange() {
        Task t = draft("a");
        clock.advance(Duration.ofMinutes(1));
        Task done = reclaim.tasks().setStatus(t.id(), TaskStatus.COMPLETED);
        assertThat(done.statusChangedAt()).isEqualTo(clock.instant());
        clock.advance(Duration.ofMinutes(1));
        Task same = reclaim.tasks().setStatus(t.id(), TaskStatus.COMPLETED);
        assertThat(same.statusChangedAt()).isEqualTo(done.statusChangedAt());
        assertThat(same.lastUpdateAt()).isAfter(done.lastUpdateAt());
    }

    @Test
    void publishingNeedsACompletedTaskAndPublishesItsModels() {
        Task t = draft("a");
        Artifact m = attach(t, ArtifactKind.MODEL, "w.ckpt");
        assertThatThrownBy(() -> reclaim.tasks().publish(t.id())).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("COMPLETED");
        reclaim.tasks().setStatus(t.id(), TaskStatus.COMPLETED);
        assertThat(reclaim.tasks().publish(t.id()).status()).isEqualTo(TaskStatus.PUBLISHED);
        assertThat(tasks.findArtifact(m.id()).orElseThrow().published()).isTrue();
    }

    @Test
    void anAttachedFileBecomesALiveArtifactInTheStore() {
        Task t = draft("a");
        Artifact a = attach(t, ArtifactKind.DEBUG_SAMPLE, "img/1.png");
        assertThat(a.state()).isEqualTo(ArtifactState.LIVE);
        assertThat(a.storageKey()).isEqualTo("tasks/" + t.id() + "/debug/img/1.png");
        assertThat(stored(a)).isTrue();
    }

    @Test
    void anArtifactNameThatWouldLeaveTheStoreIsRefused() throws IOException {
        Task t = draft("a");
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.ARTIFACT, "../../etc/passwd", f))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(tasks.artifactsOf(t.id())).isEmpty();
    }

    @Test
    void onlyModelsOfOtherTasksCanBeInputs() {
        Task a = draft("a");
        Task b = draft("b");
        Artifact model = attach(a, ArtifactKind.MODEL, "m");
        Artifact log = attach(a, ArtifactKind.LOG, "l");
        assertThat(reclaim.tasks().addInputModel(b.id(), model.id()).inputModels()).containsExactly(model.id());
        assertThatThrownBy(() -> reclaim.tasks().addInputModel(b.id(), log.id())).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> reclaim.tasks().addInputModel(a.id(), model.id())).isInstanceOf(InvalidArgumentException.class);
    }

    // ---- names, projects, tags and parameters: limits and characters ----------------------------

    private int taskCount() {
        return reclaim.tasks().getAll(TaskQuery.builder().pageSize(500).build()).items().size();
    }

    private void refusedAndNothingStored(Supplier<NewTask> spec, String... messageParts) {
        int before = taskCount();
        assertThatThrownBy(() -> reclaim.tasks().create(spec.get())).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContainingAll(messageParts);
        assertThat(taskCount()).isEqualTo(before);
    }

    @Test
    void controlCharactersInANameProjectTypeTagOrParameterAreRefusedAndNothingIsStored() {
        refusedAndNothingStored(() -> new NewTask("exp\n1", null, null, null, Set.of(), null, Map.of()),
                "task name", "control character", "U+000A");
        refusedAndNothingStored(() -> new NewTask("exp", "vi\u0000sion", null, null, Set.of(), null, Map.of()),
                "project", "control character", "U+0000");
        refusedAndNothingStored(() -> new NewTask("exp", null, "train\u001b[31m", null, Set.of(), null, Map.of()),
                "type", "control character", "U+001B");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of("a\tb"), null, Map.of()),
                "tag", "control character");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of(), null, Map.of("lr\r", "0.1")),
                "parameter name", "control character");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of(), null, Map.of("lr", "0.1\u0085")),
                "parameter value", "control character", "U+0085");
    }

    @Test
    void bidirectionalTextControlsAndLineSeparatorsAreRefused() {
        refusedAndNothingStored(() -> NewTask.draft("invoice\u202Egpj.exe"), "task name", "U+202E", "bidirectional");
        refusedAndNothingStored(() -> new NewTask("exp", "a\u2066b", null, null, Set.of(), null, Map.of()), "project", "U+2066");
        refusedAndNothingStored(() -> NewTask.draft("a\u2028b"), "task name", "U+2028");
    }

    @Test
    void namesLongerThanTheirLimitAreRefusedNamingTheLimit() {
        refusedAndNothingStored(() -> NewTask.draft("n".repeat(257)), "task name", "257 characters", "256");
        refusedAndNothingStored(() -> new NewTask("exp", "p".repeat(129), null, null, Set.of(), null, Map.of()), "project", "128");
        refusedAndNothingStored(() -> new NewTask("exp", null, "t".repeat(65), null, Set.of(), null, Map.of()), "type", "64");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of("g".repeat(65)), null, Map.of()), "tag", "64");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of(), null, Map.of("k".repeat(129), "v")),
                "parameter name", "128");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of(), null, Map.of("k", "v".repeat(4097))),
                "parameter value", "4096");
        // The limit counts characters (code points), not UTF-16 units: 256 emoji are a valid name.
        assertThat(draft("\uD83D\uDE00".repeat(256)).name()).hasSize(512);
    }

    @Test
    void aTaskHasAtMostOneHundredTagsAndFiveHundredParameters() {
        Set<String> tags = new TreeSet<>();
        for (int i = 0; i < 101; i++) {
            tags.add("t" + i);
        }
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, tags, null, Map.of()), "101 tags", "100");
        Map<String, String> params = new TreeMap<>();
        for (int i = 0; i < 501; i++) {
            params.put("p" + i, "v");
        }
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of(), null, params), "501 parameters", "500");
    }

    @Test
    void aProjectWithACommaOrNamesWithSpacesAtTheEdgesAreRefused() {
        // The Cleanup Service's projects setting is a comma-separated list: a project named "a,b"
        // could never be named there, and "a" and "b" would be cleaned instead.
        refusedAndNothingStored(() -> new NewTask("exp", "vision,nlp", null, null, Set.of(), null, Map.of()), "project", "comma");
        refusedAndNothingStored(() -> new NewTask("exp", "vision ", null, null, Set.of(), null, Map.of()), "project", "space");
        refusedAndNothingStored(() -> NewTask.draft(" exp"), "task name", "space");
        refusedAndNothingStored(() -> new NewTask("exp", null, null, null, Set.of("x "), null, Map.of()), "tag", "space");
    }

    @Test
    void editingParametersChecksTheSameLimits() {
        Task t = draft("exp");
        assertThatThrownBy(() -> reclaim.tasks().setParams(t.id(), Map.of("a\u0000", "1")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("parameter name");
        assertThatThrownBy(() -> reclaim.tasks().setParams(t.id(), Map.of("a", "x".repeat(4097))))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("4096");
        assertThat(reclaim.tasks().get(t.id()).params()).isEmpty();
    }

    @Test
    void artifactNamesAreLimitedAndCheckedForBidiControlsBeforeAnythingIsStored() throws IOException {
        Task t = draft("exp");
        Path f = Files.writeString(tmp.resolve("in.bin"), "x");
        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best\u202Ekpt.exe", f))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("artifact name").hasMessageContaining("U+202E");
        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "a/".repeat(300) + "m.bin", f))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("artifact name").hasMessageContaining("512");
        assertThat(tasks.artifactsOf(t.id())).isEmpty();
        List<ObjectInfo> objects = new ArrayList<>();
        artifacts.list("", objects::add);
        assertThat(objects).isEmpty();
    }

    @Test
    void artifactNamePartsLongerThan255BytesOfUtf8AreRefusedBeforeAnythingIsStored() throws IOException {
        Task t = draft("exp");
        Path f = Files.writeString(tmp.resolve("in.bin"), "x");
        // 86 characters, 258 bytes: the limit counts bytes, as file systems do
        for (String name : List.of("\u65E5".repeat(86), "a".repeat(256), "ok/" + "b".repeat(256) + "/m.bin")) {
            assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, name, f))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("artifact name")
                    .hasMessageContaining("255 bytes");
        }
        assertThat(tasks.artifactsOf(t.id())).isEmpty();
        List<ObjectInfo> objects = new ArrayList<>();
        artifacts.list("", objects::add);
        assertThat(objects).isEmpty();

        assertThat(reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "\u65E5".repeat(85), f).name()).hasSize(85);
    }

    // ---- archive / unarchive ------------------------------------------------------------------

    @Test
    void archivingAddsTheSystemTagAndTheTimeAndUnarchivingClearsBoth() {
        Task t = draft("a");
        assertThat(reclaim.tasks().archive(List.of(t.id()))).extracting(ArchiveResult::changed).containsExactly(true);
        Task archived = reclaim.tasks().get(t.id());
        assertThat(archived.systemTags()).contains(Task.ARCHIVED);
        assertThat(archived.archivedAt()).isEqualTo(clock.instant());
        reclaim.tasks().unarchive(List.of(t.id()));
        Task back = reclaim.tasks().get(t.id());
        assertThat(back.isArchived()).isFalse();
        assertThat(back.archivedAt()).isNull();
    }

    @Test
    void archivingAQueuedTaskDequeuesIt() {
        var h = reclaim.jobs().submit(CommandJob.of("true"),
                ComputeContext.local().withWait(false).withQueue("nobody"));
        assertThat(reclaim.tasks().archive(List.of(h.id())).get(0).message()).contains("dequeued");
        assertThat(reclaim.tasks().get(h.id()).status()).isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void archivingARunningTaskStopsIt() {
        var h = reclaim.jobs().submit(CommandJob.of("true"),
                ComputeContext.local().withWait(false).withQueue("nobody"));
        tasks.claimNext(List.of("nobody"), "w", clock.instant(), clock.instant().plusSeconds(60));
        assertThat(reclaim.tasks().archive(List.of(h.id())).get(0).message()).contains("stopped");
        assertThat(reclaim.tasks().get(h.id()).status()).isEqualTo(TaskStatus.CANCELED);
    }

    @Test
    void archivingAnUnknownIdSaysSoAndChangesNothing() {
        assertThat(reclaim.tasks().archive(List.of("000000000000ffffffffffffffff")).get(0))
                .satisfies(r -> assertThat(r.changed()).isFalse())
                .satisfies(r -> assertThat(r.message()).contains("no task"));
    }

    // ---- delete: force rules -------------------------------------------------------------------

    @Test
    void aDraftIsDeletedWithoutForce() {
        Task t = draft("a");
        Artifact a = attach(t, ArtifactKind.ARTIFACT, "out.csv");
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS);
        assertThat(r.deleted()).isTrue();
        assertThat(stored(a)).isFalse();
        assertThatThrownBy(() -> reclaim.tasks().get(t.id())).isInstanceOf(TaskNotFoundException.class);
    }

    @Test
    void anArchivedCompletedTaskIsDeletedWithoutForce() {
        Task t = withStatus("a", TaskStatus.COMPLETED);
        archive(t);
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS).deleted()).isTrue();
    }

    @Test
    void anUnarchivedNonDraftNeedsForce() {
        Task t = withStatus("a", TaskStatus.COMPLETED);
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS);
        assertThat(r.deleted()).isFalse();
        assertThat(r.needsForce()).isTrue();
        assertThat(r.error()).contains("archive it first or pass force");
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.force(true)).deleted()).isTrue();
    }

    @Test
    void aPublishedTaskNeedsForceEvenWhenArchived() {
        Task t = withStatus("a", TaskStatus.COMPLETED);
        reclaim.tasks().publish(t.id());
        archive(t);
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS).needsForce()).isTrue();
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.force(true)).deleted()).isTrue();
    }

    @Test
    void aTaskWithAPublishedChildIsRefusedWithoutForceAndTheChildIsRepointedWithForce() {
        Task parent = draft("pipeline");
        Task child = reclaim.tasks().create(new NewTask("step", null, null, TaskStatus.COMPLETED, Set.of(), parent.id(), Map.of()));
        reclaim.tasks().publish(child.id());
        DeleteResult refused = reclaim.tasks().delete(parent.id(), DeleteOptions.DEFAULTS);
        assertThat(refused.needsForce()).isTrue();
        assertThat(refused.error()).contains(child.id());
        DeleteResult forced = reclaim.tasks().delete(parent.id(), DeleteOptions.force(true));
        assertThat(forced.deleted()).isTrue();
        assertThat(forced.updatedChildren()).isEqualTo(1);
        assertThat(reclaim.tasks().get(child.id()).parentId()).isEqualTo(Task.DELETED_PARENT);
    }

    @Test
    void aTaskWithAPublishedOutputModelIsRefusedWithoutForceAndTheModelIsKeptWithForce() {
        Task t = withStatus("a", TaskStatus.COMPLETED);
        Artifact m = attach(t, ArtifactKind.MODEL, "best.ckpt");
        tasks.setArtifactPublished(m.id(), true);
        archive(t);
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS).needsForce()).isTrue();
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.force(true));
        assertThat(r.deleted()).isTrue();
        assertThat(r.updatedModels()).isEqualTo(1);
        assertThat(stored(m)).isTrue();
        assertThat(tasks.findArtifact(m.id()).orElseThrow().taskId()).isNull();
    }

    @Test
    void aModelAnotherLiveTaskUsesIsKeptAndDetached() {
        Task producer = draft("producer");
        Artifact m = attach(producer, ArtifactKind.MODEL, "m.ckpt");
        Task consumer = draft("consumer");
        reclaim.tasks().addInputModel(consumer.id(), m.id());
        DeleteResult r = reclaim.tasks().delete(producer.id(), DeleteOptions.DEFAULTS);
        assertThat(r.deleted()).isTrue();
        assertThat(r.updatedModels()).isEqualTo(1);
        assertThat(r.deletedModels()).isZero();
        assertThat(stored(m)).isTrue();
    }

    @Test
    void anUnusedUnpublishedModelIsDeletedWithItsTask() {
        Task t = draft("a");
        Artifact m = attach(t, ArtifactKind.MODEL, "m.ckpt");
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS);
        assertThat(r.deletedModels()).isEqualTo(1);
        assertThat(stored(m)).isFalse();
    }

    @Test
    void keepingOutputModelsDetachesThemInsteadOfDeleting() {
        Task t = draft("a");
        Artifact m = attach(t, ArtifactKind.MODEL, "m.ckpt");
        Artifact other = attach(t, ArtifactKind.ARTIFACT, "o.csv");
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS.deletingOutputModels(false));
        assertThat(r.deleted()).isTrue();
        assertThat(stored(m)).isTrue();
        assertThat(stored(other)).isFalse();
    }

    @Test
    void fileUrlsAreReturnedWhenAskedFor() {
        Task t = draft("a");
        Artifact a = attach(t, ArtifactKind.ARTIFACT, "o.csv");
        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS.listingFileUrls(true)).fileUrls())
                .containsExactly(a.storageKey());
        Task u = draft("b");
        attach(u, ArtifactKind.ARTIFACT, "o.csv");
        assertThat(reclaim.tasks().delete(u.id(), DeleteOptions.DEFAULTS).fileUrls()).isEmpty();
    }

    @Test
    void aRunningTaskIsStoppedFirstWhenDeletedWithForce() {
        var h = reclaim.jobs().submit(CommandJob.of("true"),
                ComputeContext.local().withWait(false).withQueue("nobody"));
        tasks.claimNext(List.of("nobody"), "w", clock.instant(), clock.instant().plusSeconds(60));
        assertThat(reclaim.tasks().delete(h.id(), DeleteOptions.DEFAULTS).needsForce()).isTrue();
        assertThat(reclaim.tasks().delete(h.id(), DeleteOptions.force(true)).deleted()).isTrue();
        assertThat(tasks.findTask(h.id())).isEmpty();
    }

    @Test
    void anObjectSharedWithAnotherTasksLiveArtifactIsKept() {
        Task a = draft("a");
        Task b = draft("b");
        Artifact shared = attach(a, ArtifactKind.ARTIFACT, "data.bin");
        tasks.insertArtifacts(List.of(new Artifact(Ids.next(clock.instant()), b.id(), ArtifactKind.ARTIFACT,
                "data.bin", shared.storageKey(), shared.sizeBytes(), clock.instant(), false,
                ArtifactState.LIVE)));
        assertThat(reclaim.tasks().delete(a.id(), DeleteOptions.DEFAULTS).deleted()).isTrue();
        assertThat(stored(shared)).isTrue();
        assertThat(reclaim.tasks().delete(b.id(), DeleteOptions.DEFAULTS).deleted()).isTrue();
        assertThat(stored(shared)).isFalse();
    }

    @Test
    void deleteManyContinuesPastFailuresAndSaysWhichFailedAndWhy() {
        Task ok = draft("ok");
        Task needsForce = withStatus("done", TaskStatus.COMPLETED);
        DeleteManyResult r = reclaim.tasks().deleteMany(List.of(ok.id(), "000000000000ffffffffffffffff", needsForce.id()),
                DeleteOptions.DEFAULTS);
        assertThat(r.succeeded()).extracting(DeleteResult::taskId).containsExactly(ok.id());
        assertThat(r.failed()).extracting(DeleteResult::taskId).containsExactly("000000000000ffffffffffffffff", needsForce.id());
        assertThat(r.failed()).allSatisfy(f -> assertThat(f.error()).isNotBlank());
        assertThat(r.anyNeedsForce()).isTrue();
        assertThat(r.anyFailed()).isTrue();
    }

    @Test
    void everyDeletionIsAudited() {
        Task t = draft("a");
        attach(t, ArtifactKind.ARTIFACT, "o.csv");
        reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS);
        assertThat(tasks.audit(10)).anySatisfy(a -> {
            assertThat(a.taskId()).isEqualTo(t.id());
            assertThat(a.objects()).isEqualTo(1);
            assertThat(a.bytes()).isEqualTo("o.csv content".length());
        });
    }
}
