package dev.reclaim.testkit;

import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.RetentionRules;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tasks.NewTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention rules (docs/rules.md, "Retention rules"): each action, and the precedence holds >
 * the seed's protections > keep rules > delete rules, on every backend; a dry run says exactly what
 * the run then does.
 */
public abstract class RetentionRulesContract extends ReclaimContract {

    private Task task(String name, String project, TaskStatus status) {
        return reclaim.tasks().create(new NewTask(name, project, null, status, Set.of(), null, Map.of()));
    }

    private Artifact artifact(Task t, ArtifactKind kind, String name, int bytes) {
        try {
            Path f = Files.write(Files.createTempFile(tmp, "in", ".bin"), new byte[bytes]);
            return reclaim.tasks().addArtifact(t.id(), kind, name, f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An artifact added {@code daysAgo} days before now. */
    private Artifact artifactAged(Task t, ArtifactKind kind, String name, int bytes, double daysAgo) {
        Instant now = clock.instant();
        clock.advance(Duration.ofMillis(-Math.round(daysAgo * 86_400_000)));
        try {
            return artifact(t, kind, name, bytes);
        } finally {
            clock.set(now);
        }
    }

    private Artifact checkpoint(Task t, int epoch, double valLoss) {
        Artifact a = artifactAged(t, ArtifactKind.MODEL, "epoch-" + epoch + ".pt", 1000 + epoch, 20 - epoch);
        reclaim.tasks().setArtifactMetrics(t.id(), a.id(), Map.of("val_loss", valLoss));
        return a;
    }

    private CleanupRun run(String rulesJson, boolean dryRun) {
        return reclaim.cleanup().runOnce(CleanupSettings.builder().dryRun(dryRun)
                .rules(RetentionRules.parse(rulesJson)).build(), null, CleanupListener.NONE);
    }

    private List<String> live(Task t) {
        return reclaim.tasks().liveArtifacts(t.id()).stream().map(Artifact::name).sorted().toList();
    }

    private boolean stored(Artifact a) {
        return artifacts.stat(a.storageKey()).isPresent();
    }

    private static final String SCENARIO = """
            [{"name": "best-checkpoints", "kinds": ["model"], "keep_best": {"k": 3, "metric": "val_loss", "direction": "min"}},
             {"name": "debug-samples", "kinds": ["debug"], "delete_artifacts_after": 7}]""";

    @Test
    void theBestThreeCheckpointsTheLogsAndTheTaskStayWhileTheWorseCheckpointsAndOldDebugSamplesGo() {
        Task t = task("train", "vision", TaskStatus.COMPLETED);
        double[] losses = {0.9, 0.5, 0.31, 0.7, 0.2, 0.6, 0.45, 0.8, 0.25, 0.55};
        List<Artifact> ckpts = new ArrayList<>();
        for (int i = 0; i < losses.length; i++) {
            ckpts.add(checkpoint(t, i, losses[i]));
        }
        Artifact oldDebug = artifactAged(t, ArtifactKind.DEBUG_SAMPLE, "old.png", 50, 10);
        Artifact newDebug = artifactAged(t, ArtifactKind.DEBUG_SAMPLE, "new.png", 50, 2);
        Artifact log = artifactAged(t, ArtifactKind.LOG, "train.log", 30, 10);

        CleanupRun dry = run(SCENARIO, true);
        assertThat(live(t)).hasSize(13);
        CleanupRun real = run(SCENARIO, false);

        assertThat(live(t)).containsExactly("epoch-2.pt", "epoch-4.pt", "epoch-8.pt", "new.png", "train.log");
        assertThat(reclaim.tasks().find(t.id())).isPresent();
        long worse = ckpts.stream().filter(a -> !List.of(2, 4, 8).contains(ckpts.indexOf(a))).mapToLong(Artifact::sizeBytes).sum();
        assertThat(real.bytes()).isEqualTo(worse + oldDebug.sizeBytes());
        assertThat(stored(oldDebug)).isFalse();
        assertThat(stored(newDebug)).isTrue();
        assertThat(stored(log)).isTrue();
        assertThat(dry.bytes()).isEqualTo(real.bytes());
        assertThat(dry.objects()).isEqualTo(real.objects());
        assertThat(dry.items()).extracting(CleanupRun.Item::rule).containsExactlyElementsOf(
                real.items().stream().map(CleanupRun.Item::rule).toList());
        assertThat(real.items()).extracting(CleanupRun.Item::rule).anySatisfy(r -> assertThat(r).startsWith(
                "rule best-checkpoints: 7 model outside the best 3 by lowest val_loss"))
                .anySatisfy(r -> assertThat(r).startsWith("rule debug-samples: 1 debug_sample created more than 7 days ago"));
        assertThat(reclaim.meterRegistry().get("reclaim.cleanup.rule.bytes.freed").tag("rule", "debug-samples").counter()
                .count()).isEqualTo(oldDebug.sizeBytes());
        assertThat(reclaim.meterRegistry().get("reclaim.cleanup.rule.deletions").tag("rule", "best-checkpoints").counter()
                .count()).isEqualTo(1);
        assertThat(tasks.audit(10)).anySatisfy(a -> assertThat(a.reason()).isEqualTo("cleanup service: rule debug-samples"));
    }

    @Test
    void keepBestByAHigherMetricOrWithoutOneKeepsTheNewest() {
        Task acc = task("acc", "p", TaskStatus.COMPLETED);
        Task plain = task("plain", "p", TaskStatus.COMPLETED);
        for (int i = 0; i < 4; i++) {
            Artifact a = checkpoint(acc, i, 0.5 + (i % 2) * 0.1 * i);
            artifactAged(plain, ArtifactKind.MODEL, "m" + i + ".pt", 10, 10 - i);
            assertThat(a).isNotNull();
        }

        run("""
                [{"name": "acc", "projects": ["p"], "tags": [], "kinds": ["model"],
                  "keep_best": {"k": 1, "metric": "val_loss", "direction": "max"}}]""", false);

        assertThat(live(acc)).containsExactly("epoch-3.pt"); // 0.8, the highest
        assertThat(live(plain)).containsExactly("m3.pt"); // no metric: the newest
    }

    @Test
    void deleteArtifactsAfterTakesOnlyOldArtifactsOfItsKindsInItsScopeAndLiveTasksToo() {
        Task live = task("live", "vision", TaskStatus.COMPLETED);
        Task other = task("other", "nlp", TaskStatus.COMPLETED);
        Artifact old = artifactAged(live, ArtifactKind.LOG, "old.log", 10, 30);
        Artifact young = artifactAged(live, ArtifactKind.LOG, "young.log", 10, 1);
        Artifact oldModel = artifactAged(live, ArtifactKind.MODEL, "m.pt", 10, 30);
        Artifact otherProject = artifactAged(other, ArtifactKind.LOG, "old.log", 10, 30);

        CleanupRun r = run("""
                [{"name": "logs", "projects": ["vision"], "kinds": ["log"], "delete_artifacts_after": 14}]""", false);

        assertThat(stored(old)).isFalse();
        assertThat(List.of(young, oldModel, otherProject)).allSatisfy(a -> assertThat(stored(a)).isTrue());
        assertThat(r.items()).singleElement().satisfies(i -> {
            assertThat(i.taskId()).isEqualTo(live.id());
            assertThat(i.outcome()).isEqualTo(CleanupRun.Outcome.DELETED);
        });
    }

    @Test
    void deleteArtifactsAfterTakesATasksOldArtifactsInOneMarkThoughPagesRunByAge() {
        Task a = task("a", "vision", TaskStatus.COMPLETED);
        Task b = task("b", "vision", TaskStatus.COMPLETED);
        // by age the old samples alternate between the tasks, one a page with a page size of 1
        for (int i = 0; i < 3; i++) {
            artifactAged(a, ArtifactKind.DEBUG_SAMPLE, "a" + i + ".png", 10, 30 - 2 * i);
            artifactAged(b, ArtifactKind.DEBUG_SAMPLE, "b" + i + ".png", 10, 29 - 2 * i);
        }
        artifactAged(a, ArtifactKind.DEBUG_SAMPLE, "young.png", 10, 1);
        Artifact held = artifactAged(b, ArtifactKind.DEBUG_SAMPLE, "held.png", 10, 30);
        reclaim.holds().holdArtifact(b.id(), held.id(), null);
        String rules = """
                [{"name": "debug", "kinds": ["debug"], "delete_artifacts_after": 7}]""";

        CleanupRun dry = reclaim.cleanup().runOnce(CleanupSettings.builder().dryRun(true).pageSize(1)
                .rules(RetentionRules.parse(rules)).build(), null, CleanupListener.NONE);
        CleanupRun r = reclaim.cleanup().runOnce(CleanupSettings.builder().pageSize(1)
                .rules(RetentionRules.parse(rules)).build(), null, CleanupListener.NONE);

        assertThat(live(a)).containsExactly("young.png");
        assertThat(live(b)).containsExactly("held.png");
        assertThat(r.items()).extracting(CleanupRun.Item::taskId).containsExactly(a.id(), b.id());
        assertThat(r.items()).extracting(CleanupRun.Item::objects).containsExactly(3L, 3L);
        assertThat(dry.items()).extracting(CleanupRun.Item::taskId).containsExactly(a.id(), b.id());
        assertThat(dry.objects()).isEqualTo(r.objects()).isEqualTo(6);
    }

    @Test
    void aHoldBeatsEveryRule() {
        Task t = task("t", "vision", TaskStatus.COMPLETED);
        List<Artifact> ckpts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ckpts.add(checkpoint(t, i, 0.1 * (i + 1)));
        }
        Artifact heldDebug = artifactAged(t, ArtifactKind.DEBUG_SAMPLE, "d.png", 10, 30);
        reclaim.holds().holdArtifact(t.id(), ckpts.get(3).id(), "the worst, kept for a bug report");
        reclaim.holds().holdArtifact(t.id(), heldDebug.id(), null);
        Task heldTask = task("held", "vision", TaskStatus.COMPLETED);
        Artifact inHeldTask = artifactAged(heldTask, ArtifactKind.DEBUG_SAMPLE, "d.png", 10, 30);
        reclaim.holds().holdTask(heldTask.id(), null);

        run("""
                [{"name": "best", "kinds": ["model"], "keep_best": {"k": 1, "metric": "val_loss"}},
                 {"name": "debug", "kinds": ["debug"], "delete_artifacts_after": 7},
                 {"name": "quota", "projects": ["vision"], "kinds": ["debug"], "quota": 0}]""", false);

        assertThat(live(t)).containsExactly("d.png", "epoch-0.pt", "epoch-3.pt");
        assertThat(stored(inHeldTask)).isTrue();
    }

    @Test
    void aPublishedModelAndAModelInUseAreNeverDeletedByARule() {
        Task published = task("published", "p", TaskStatus.COMPLETED);
        checkpoint(published, 0, 0.1);
        checkpoint(published, 1, 0.9);
        reclaim.tasks().publish(published.id());
        Task trained = task("trained", "p", TaskStatus.COMPLETED);
        checkpoint(trained, 0, 0.1);
        Artifact used = checkpoint(trained, 1, 0.9);
        Task user = task("user", "other", TaskStatus.COMPLETED);
        reclaim.tasks().addInputModel(user.id(), used.id());

        run("""
                [{"name": "best", "projects": ["p"], "kinds": ["model"], "keep_best": {"k": 1, "metric": "val_loss"}}]""",
                false);

        assertThat(live(published)).hasSize(2);
        assertThat(live(trained)).hasSize(2);
    }

    @Test
    void whatAKeepRuleKeepsNoDeleteRuleDeletesNotEvenTheDefaultOne() throws Exception {
        Task archived = archivedTask("old-run", "vision", TaskStatus.CREATED, 40, 10);
        Artifact best = checkpoint(archived, 0, 0.1);
        Artifact worse = checkpoint(archived, 1, 0.9);
        Task plain = archivedTask("plain", "vision", TaskStatus.CREATED, 40, 10);

        CleanupRun r = run("""
                [{"name": "best", "kinds": ["model"], "keep_best": {"k": 1, "metric": "val_loss"}},
                 {"name": "models", "kinds": ["model"], "delete_artifacts_after": 1}]""", false);

        assertThat(reclaim.tasks().find(plain.id())).isEmpty(); // the default rule (30 days) still deletes
        assertThat(reclaim.tasks().find(archived.id())).isPresent();
        assertThat(stored(best)).isTrue();
        assertThat(stored(worse)).isFalse();
        assertThat(r.items()).filteredOn(i -> i.taskId().equals(archived.id()) && i.outcome() == CleanupRun.Outcome.SKIPPED)
                .extracting(CleanupRun.Item::rule).containsExactly("kept by rule best (the best 1)");
    }

    @Test
    void aQuotaDeletesTheOldestArchivedTasksFirstUntilTheProjectIsUnderIt() throws Exception {
        Task oldest = archivedTask("oldest", "vision", TaskStatus.CREATED, 20, 400);
        Task middle = archivedTask("middle", "vision", TaskStatus.CREATED, 15, 400);
        Task newest = archivedTask("newest", "vision", TaskStatus.CREATED, 10, 400);
        Task live = task("live", "vision", TaskStatus.COMPLETED);
        artifact(live, ArtifactKind.MODEL, "m.pt", 400);
        Task elsewhere = archivedTask("elsewhere", "nlp", TaskStatus.CREATED, 20, 5000);

        String quota = """
                [{"name": "vision-quota", "projects": ["vision"], "quota": "1KB"}]""";
        CleanupRun dry = run(quota, true);
        CleanupRun r = run(quota, false);

        // 1,600 bytes in vision; 1,000 allowed: the two oldest go (800), 800 stay
        assertThat(reclaim.tasks().find(oldest.id())).isEmpty();
        assertThat(reclaim.tasks().find(middle.id())).isEmpty();
        assertThat(reclaim.tasks().find(newest.id())).isPresent();
        assertThat(reclaim.tasks().find(live.id())).isPresent();
        assertThat(reclaim.tasks().find(elsewhere.id())).isPresent();
        assertThat(r.items()).extracting(CleanupRun.Item::taskId).containsExactly(oldest.id(), middle.id());
        assertThat(r.items()).allSatisfy(i -> assertThat(i.rule()).contains("rule vision-quota: project vision over its quota"));
        assertThat(dry.items()).extracting(CleanupRun.Item::taskId).containsExactly(oldest.id(), middle.id());
        assertThat(dry.bytes()).isEqualTo(r.bytes()).isEqualTo(800);
    }

    @Test
    void aQuotaThenTakesArtifactsOfItsKindsButNeverBelowWhatAKeepRuleKeeps() {
        Task t = task("train", "vision", TaskStatus.COMPLETED);
        checkpoint(t, 0, 0.1);
        checkpoint(t, 1, 0.2);
        artifactAged(t, ArtifactKind.DEBUG_SAMPLE, "a.png", 500, 3);
        artifactAged(t, ArtifactKind.DEBUG_SAMPLE, "b.png", 500, 2);

        run("""
                [{"name": "best", "kinds": ["model"], "keep_best": {"k": 2, "metric": "val_loss"}},
                 {"name": "quota", "projects": ["vision"], "kinds": ["debug", "model"], "quota": 0}]""", false);

        assertThat(live(t)).containsExactly("epoch-0.pt", "epoch-1.pt");
    }

    @Test
    void aNamedDeleteTasksRuleTakesArchivedTasksOfItsScopeOnly() throws Exception {
        Task tagged = archivedTask("tagged", "vision", TaskStatus.COMPLETED, 10, 10);
        reclaim.tasks().create(new NewTask("x", "vision", null, TaskStatus.COMPLETED, Set.of("sweep"), null, Map.of()));
        Task young = archivedTask("young", "vision", TaskStatus.COMPLETED, 2, 10);
        Task published = archivedTask("pub", "vision", TaskStatus.PUBLISHED, 10, 10);

        CleanupRun r = run("""
                [{"name": "finished", "projects": ["vision"], "statuses": ["completed", "published"],
                  "delete_tasks_after": 7}]""".replace(", \"published\"", ""), false);

        assertThat(reclaim.tasks().find(tagged.id())).isEmpty();
        assertThat(reclaim.tasks().find(young.id())).isPresent();
        assertThat(reclaim.tasks().find(published.id())).isPresent();
        assertThat(r.items()).extracting(CleanupRun.Item::rule)
                .containsExactly("rule finished: archived more than 7 days ago");
    }
}
