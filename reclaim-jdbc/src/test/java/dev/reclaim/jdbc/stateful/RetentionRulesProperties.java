package dev.reclaim.jdbc.stateful;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.RetentionRules;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.testkit.SettableClock;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Retention rules as a property: for random catalogs (tasks in two projects, archived or not, with
 * checkpoints carrying a metric, debug samples and logs of many ages; some held, published or used
 * as input) and random rule sets, a run never deletes a held, published or in-use artifact, and
 * its dry run, made first, said exactly what it then did. A backend runs it with a property method.
 */
abstract class RetentionRulesProperties {

    /** A fresh, empty store in {@code dir}. */
    abstract TaskStore newStore(Path dir);

    /** One task of a generated catalog. */
    record TaskPlan(String project, boolean archived, int archivedDaysAgo, boolean completed, List<ArtifactPlan> artifacts,
                    boolean held, boolean published) {
    }

    /** One artifact of a generated task. */
    record ArtifactPlan(ArtifactKind kind, int daysAgo, Double valLoss, boolean held, boolean usedByNext) {
    }

    @Provide
    Arbitrary<List<TaskPlan>> catalogs() {
        Arbitrary<ArtifactPlan> artifact = Combinators.combine(
                Arbitraries.of(ArtifactKind.MODEL, ArtifactKind.MODEL, ArtifactKind.DEBUG_SAMPLE, ArtifactKind.LOG),
                Arbitraries.integers().between(0, 20),
                Arbitraries.doubles().between(0, 1).ofScale(2).injectNull(0.2),
                Arbitraries.of(true, false, false, false, false, false),
                Arbitraries.of(true, false, false, false, false)).as(ArtifactPlan::new);
        Arbitrary<TaskPlan> task = Combinators.combine(
                Arbitraries.of("a", "b"), Arbitraries.of(true, false), Arbitraries.integers().between(0, 60),
                Arbitraries.of(true, false), artifact.list().ofMaxSize(8),
                Arbitraries.of(true, false, false, false, false, false), Arbitraries.of(true, false, false, false))
                .as(TaskPlan::new);
        return task.list().ofMinSize(1).ofMaxSize(6);
    }

    @Provide
    Arbitrary<String> ruleSets() {
        Arbitrary<String> scope = Arbitraries.of("", "\"projects\": [\"a\"], ", "\"archived\": true, ", "\"archived\": false, ",
                "\"statuses\": [\"completed\"], ");
        Arbitrary<String> keepBest = Combinators.combine(scope, Arbitraries.integers().between(1, 3),
                Arbitraries.of("\"metric\": \"val_loss\", \"direction\": \"min\"", "\"metric\": \"val_loss\", \"direction\": \"max\"",
                        "\"metric\": \"nothing\"", "")).as((s, k, m) -> s + "\"kinds\": [\"model\"], "
                + "\"keep_best\": {\"k\": " + k + (m.isEmpty() ? "" : ", " + m) + "}");
        Arbitrary<String> deleteArtifacts = Combinators.combine(scope, Arbitraries.of("[\"debug\"]", "[\"model\"]",
                "[\"log\", \"debug\"]"), Arbitraries.integers().between(0, 15))
                .as((s, k, d) -> s + "\"kinds\": " + k + ", \"delete_artifacts_after\": " + d);
        Arbitrary<String> deleteTasks = Combinators.combine(Arbitraries.of("", "\"projects\": [\"b\"], ",
                "\"statuses\": [\"completed\", \"created\"], "), Arbitraries.integers().between(0, 40))
                .as((s, d) -> s + "\"delete_tasks_after\": " + d);
        Arbitrary<String> quota = Combinators.combine(Arbitraries.of("", "\"kinds\": [\"debug\", \"model\"], "),
                Arbitraries.integers().between(0, 3000)).as((k, b) -> "\"projects\": [\"a\"], " + k + "\"quota\": " + b);
        return Arbitraries.oneOf(keepBest, deleteArtifacts, deleteTasks, quota).list().ofMaxSize(4).map(rules -> {
            List<String> out = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                out.add("{\"name\": \"r" + i + "\", " + rules.get(i) + "}");
            }
            return "[" + String.join(", ", out) + "]";
        });
    }

    /** Builds the catalog, runs the rules dry and then for real, and checks what they may not do. */
    void holdsFor(List<TaskPlan> plans, String rules) throws IOException {
        Path dir = Files.createTempDirectory("reclaim-rules-");
        SettableClock clock = new SettableClock();
        Instant now = clock.instant();
        try (Reclaim r = Reclaim.builder().taskStore(newStore(dir)).artifactStore(FileArtifactStore.open(dir.resolve("artifacts")))
                .clock(clock).stagingRoot(dir.resolve("staging")).build()) {
            Set<String> protectedIds = new HashSet<>();
            Map<String, Artifact> all = new HashMap<>();
            Artifact usedModel = null;
            List<Task> tasks = new ArrayList<>();
            for (TaskPlan p : plans) {
                Task t = r.tasks().create(new NewTask("t", p.project(), null, p.completed() ? TaskStatus.COMPLETED
                        : TaskStatus.CREATED, Set.of(), null, Map.of()));
                tasks.add(t);
                List<Artifact> models = new ArrayList<>();
                for (int i = 0; i < p.artifacts().size(); i++) {
                    ArtifactPlan a = p.artifacts().get(i);
                    clock.set(now.minus(Duration.ofDays(a.daysAgo())));
                    Path f = Files.write(dir.resolve("in"), new byte[100 + i]);
                    Artifact added = r.tasks().addArtifact(t.id(), a.kind(), a.kind().name().toLowerCase(Locale.ROOT) + i, f);
                    clock.set(now);
                    all.put(added.id(), added);
                    if (a.valLoss() != null) {
                        r.tasks().setArtifactMetrics(t.id(), added.id(), Map.of("val_loss", a.valLoss()));
                    }
                    if (a.held()) {
                        r.holds().holdArtifact(t.id(), added.id(), null);
                        protectedIds.add(added.id());
                    }
                    if (a.kind() == ArtifactKind.MODEL) {
                        models.add(added);
                        if (a.usedByNext() && usedModel == null) {
                            usedModel = added;
                        }
                    }
                }
                if (p.published() && p.completed()) {
                    r.tasks().publish(t.id());
                    models.forEach(m -> protectedIds.add(m.id()));
                }
                if (p.held()) {
                    r.holds().holdTask(t.id(), null);
                    r.tasks().liveArtifacts(t.id()).forEach(a -> protectedIds.add(a.id()));
                }
                if (p.archived()) {
                    clock.set(now.minus(Duration.ofDays(p.archivedDaysAgo())));
                    r.tasks().archive(List.of(t.id()));
                    clock.set(now);
                }
            }
            // a user no rule deletes (rules delete archived tasks only), so the model stays in use all run
            Artifact model = usedModel;
            Task user = model == null ? null : tasks.stream().filter(t -> !t.id().equals(model.taskId()))
                    .filter(t -> !r.tasks().get(t.id()).isArchived()).findFirst().orElse(null);
            if (user != null) {
                r.tasks().addInputModel(user.id(), model.id());
                protectedIds.add(model.id());
            }
            CleanupSettings settings = CleanupSettings.builder().rules(RetentionRules.parse(rules)).build();
            Set<String> before = liveIds(r, tasks);

            CleanupRun dry = r.cleanup().runOnce(settings.toBuilder().dryRun(true).build(), null, CleanupListener.NONE);
            assertThat(liveIds(r, tasks)).as("a dry run changes nothing").isEqualTo(before);
            CleanupRun run = r.cleanup().runOnce(settings, null, CleanupListener.NONE);

            Set<String> after = liveIds(r, tasks);
            for (String id : protectedIds) {
                assertThat(r.tasks().findArtifact(id)).as("protected artifact " + id + " with rules " + rules).isPresent();
                assertThat(r.artifactStore().stat(all.get(id).storageKey())).as("the bytes of " + id).isPresent();
            }
            assertThat(dry.items()).as("the dry run's lines with rules " + rules).extracting(CleanupRun.Item::taskId,
                    i -> i.outcome() == CleanupRun.Outcome.WOULD_DELETE ? CleanupRun.Outcome.DELETED : i.outcome(),
                    CleanupRun.Item::rule, CleanupRun.Item::objects, CleanupRun.Item::bytes)
                    .containsExactlyElementsOf(run.items().stream().map(i -> tuple(i.taskId(),
                            i.outcome(), i.rule(), i.objects(), i.bytes())).toList());
            assertThat(dry.bytes()).isEqualTo(run.bytes());
            assertThat(before).containsAll(after);
        } finally {
            deleteTree(dir);
        }
    }

    private static Set<String> liveIds(Reclaim r, List<Task> tasks) {
        Set<String> out = new TreeSet<>();
        for (Task t : tasks) {
            r.tasks().find(t.id()).filter(Task::isLive).ifPresent(x -> r.tasks().liveArtifacts(x.id())
                    .forEach(a -> out.add(a.id())));
        }
        return out;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
