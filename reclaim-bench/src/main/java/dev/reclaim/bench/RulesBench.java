package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.RetentionRules;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.worker.WorkerSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Issue 20's benchmark: what three named retention rules cost the Cleanup Service. Each round builds
 * two identical embedded stores of T archived tasks x F files (mixed statuses, archived 40 days ago,
 * as {@link CleanupBench} builds them) plus L live tasks of 10 checkpoints each (models with a
 * {@code val_loss} metric, 11 to 20 days old) and 5 debug samples each (1, 3, 8, 12 and 20 days
 * old), then runs on one store (1) the seed's default settings only (force_delete, 30 days), and
 * on the other (2) the same plus {@code keep_best {k: 3, metric: val_loss, direction: min}} on
 * models, {@code delete_artifacts_after: 7} on debug samples, and a quota on project p0 set to take
 * half of its remaining debug samples. Two rounds, the order swapped in the second; the best of
 * each is kept.
 */
final class RulesBench implements Bench {
    private static final int CHECKPOINTS = 10;
    private static final int[] DEBUG_AGES_DAYS = {1, 3, 8, 12, 20};
    private static final int CHECKPOINT_BYTES = 1000;
    private static final int DEBUG_BYTES = 200;
    private static final String DEFAULT = "(default rule)";

    @Override
    public String description() {
        return "cleanup with the default rule only vs plus keep_best, delete_artifacts_after and a quota; run with -Xmx256m "
                + "(--tasks 20000 --files 5 --live 2000)";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        int taskCount = o.integer("tasks", 20_000);
        int files = o.integer("files", 5);
        int live = o.integer("live", 2000);
        int rounds = o.integer("rounds", 2);
        Path dir = o.dir("reclaim-bench-rules");
        WorkerSettings workers = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));
        // p0 holds every 10th live task; after keep_best and the debug rule each keeps 3 checkpoints
        // and 2 debug samples (1 and 3 days old): the quota leaves room for one, so it takes the older
        long liveP0 = (live + 9) / 10;
        long quota = liveP0 * (3L * CHECKPOINT_BYTES + DEBUG_BYTES);
        String rules = "[{\"name\": \"best-checkpoints\", \"kinds\": [\"model\"], "
                + "\"keep_best\": {\"k\": 3, \"metric\": \"val_loss\", \"direction\": \"min\"}},"
                + " {\"name\": \"debug-samples\", \"kinds\": [\"debug\"], \"delete_artifacts_after\": 7},"
                + " {\"name\": \"p0-quota\", \"projects\": [\"p0\"], \"kinds\": [\"debug\"], \"quota\": " + quota + "}]";
        CleanupSettings.Builder base = CleanupSettings.builder().deleteThresholdDays(30).forceDelete(true)
                .ageBasis(AgeBasis.STATUS_CHANGED);
        CleanupSettings one = base.build();
        CleanupSettings three = base.rules(RetentionRules.parse(rules)).build();
        System.out.printf("rules: %,d archived tasks x %d files + %,d live tasks x (%d checkpoints + %d debug samples), "
                        + "two identical stores a round, %d rounds (order swapped each round), best of each kept%n",
                taskCount, files, live, CHECKPOINTS, DEBUG_AGES_DAYS.length, rounds);
        System.out.println("  (2)'s rules: " + rules);
        Result bestOne = null;
        Result bestThree = null;
        try {
            for (int round = 0; round < rounds; round++) {
                Path homeOne = dir.resolve("one" + round);
                Path homeThree = dir.resolve("three" + round);
                try (Reclaim a = Embedded.open(homeOne, workers, false); Reclaim b = Embedded.open(homeThree, workers, false)) {
                    long setup = System.nanoTime();
                    int deletable = populate(a, homeOne.resolve("artifacts"), b, homeThree.resolve("artifacts"), taskCount,
                            files, live);
                    System.out.printf("round %d: stores built in %.1f s (%,d archived tasks deletable)%n", round + 1,
                            seconds(setup), deletable);
                    System.out.flush();
                    Result r1;
                    Result r3;
                    if (round % 2 == 0) {
                        r1 = cleanup(a, one, "(1) default rule only");
                        r3 = cleanup(b, three, "(2) plus three rules ");
                    } else {
                        r3 = cleanup(b, three, "(2) plus three rules ");
                        r1 = cleanup(a, one, "(1) default rule only");
                    }
                    if (r1.deleted(DEFAULT) != deletable || r3.deleted(DEFAULT) != deletable) {
                        throw new IllegalStateException("the default rule deleted " + r1.deleted(DEFAULT) + " and "
                                + r3.deleted(DEFAULT) + " of " + deletable);
                    }
                    bestOne = bestOne == null || r1.seconds < bestOne.seconds ? r1 : bestOne;
                    bestThree = bestThree == null || r3.seconds < bestThree.seconds ? r3 : bestThree;
                } finally {
                    Scratch.delete(homeOne);
                    Scratch.delete(homeThree);
                }
            }
            System.out.printf("best of %d each:%n", rounds);
            System.out.printf("  (1) default rule only:   %8.2f s  (%,d tasks, %,d objects)%n", bestOne.seconds,
                    bestOne.run.deleted(), bestOne.run.objects());
            System.out.printf("  (2) plus three rules:    %8.2f s  (%,d tasks, %,d objects)%n", bestThree.seconds,
                    bestThree.run.deleted(), bestThree.run.objects());
            System.out.printf("  ratio (2) / (1):         %8.2fx  (target <= 1.2x)%n", bestThree.seconds / bestOne.seconds);
            System.out.printf("  peak heap in use (sampled every 20 ms): %d MB of %d MB max%n", Heap.peakUsedMb(),
                    Runtime.getRuntime().maxMemory() >> 20);
        } finally {
            Scratch.delete(dir);
        }
    }

    /**
     * Per rule: its marks that deleted (the default rule's: whole tasks; a named rule's: some artifacts of
     * one task, a task possibly marked more than once, once per page it appears in), objects and bytes freed.
     */
    private static final class Tally {
        long items;
        long objects;
        long bytes;
    }

    private record Result(double seconds, CleanupRun run, Map<String, Tally> byRule, double defaultDoneAt) {
        long deleted(String rule) {
            Tally t = byRule.get(rule);
            return t == null ? 0 : t.items;
        }
    }

    private static Result cleanup(Reclaim r, CleanupSettings settings, String label) throws Exception {
        Caches.drop();
        Map<String, Tally> byRule = new TreeMap<>();
        long start = System.nanoTime();
        long[] lastDefault = {start};
        CleanupRun run = r.cleanup().runOnce(settings, null, new CleanupListener() {
            @Override
            public void taskDone(CleanupRun.Item item) {
                if (item.outcome() != CleanupRun.Outcome.DELETED) {
                    return;
                }
                String rule = item.rule() != null && item.rule().startsWith("rule ")
                        ? item.rule().substring(5, item.rule().indexOf(':')) : DEFAULT;
                if (rule.equals(DEFAULT)) {
                    lastDefault[0] = System.nanoTime();
                }
                Tally t = byRule.computeIfAbsent(rule, k -> new Tally());
                t.items++;
                t.objects += item.objects();
                t.bytes += item.bytes();
            }
        });
        double s = seconds(start);
        double defaultDone = (lastDefault[0] - start) / 1e9;
        System.out.printf("  %s: %8.2f s  (%,d tasks, %,d objects, %,d skipped, %d failed; last default-rule deletion "
                + "at %.2f s)%n", label, s, run.deleted(), run.objects(), run.skipped(), run.failed(), defaultDone);
        byRule.forEach((rule, t) -> System.out.printf("      %-20s %,7d %s, %,8d objects, %,11d bytes%n", rule, t.items,
                rule.equals(DEFAULT) ? "tasks deleted" : "marks (task)", t.objects, t.bytes));
        System.out.flush();
        return new Result(s, run, byRule, defaultDone);
    }

    /** Builds the two stores identically; returns how many archived tasks the default rule deletes (not PUBLISHED). */
    private static int populate(Reclaim a, Path rootA, Reclaim b, Path rootB, int taskCount, int files, int live)
            throws IOException {
        Instant now = Instant.now();
        Instant at = now.minus(Duration.ofDays(40));
        byte[] content = new byte[100];
        TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.COMPLETED,
                TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.FAILED, TaskStatus.CANCELED,
                TaskStatus.PUBLISHED};
        int deletable = 0;
        List<Task> tasks = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        for (int t = 0; t < taskCount; t++) {
            Instant updated = at.plusMillis(t);
            String id = Ids.next(updated);
            TaskStatus status = statuses[t % statuses.length];
            tasks.add(Task.builder(id, "task-" + t, updated).project("p" + (t % 10)).status(status)
                    .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(updated).statusChangedAt(updated)
                    .lastUpdateAt(updated).build());
            deletable += status != TaskStatus.PUBLISHED ? 1 : 0;
            String folder = "tasks/" + id + "/artifacts/";
            Files.createDirectories(rootA.resolve(folder));
            Files.createDirectories(rootB.resolve(folder));
            for (int f = 0; f < files; f++) {
                String key = folder + "f" + f + ".bin";
                Files.write(rootA.resolve(key), content);
                Files.write(rootB.resolve(key), content);
                artifacts.add(new Artifact(Ids.next(updated), id, ArtifactKind.ARTIFACT, "f" + f + ".bin", key, content.length,
                        updated, false, ArtifactState.LIVE));
            }
            if (tasks.size() == 1000) {
                for (Reclaim r : List.of(a, b)) {
                    r.taskStore().insertTasks(tasks);
                    r.taskStore().insertArtifacts(artifacts);
                }
                tasks.clear();
                artifacts.clear();
            }
        }
        for (Reclaim r : List.of(a, b)) {
            r.taskStore().insertTasks(tasks);
            r.taskStore().insertArtifacts(artifacts);
        }
        tasks.clear();
        artifacts.clear();

        // live tasks: training runs of the last weeks, with checkpoints and debug samples
        byte[] checkpoint = new byte[CHECKPOINT_BYTES];
        byte[] sample = new byte[DEBUG_BYTES];
        Map<String, Map<String, Double>> metrics = new HashMap<>();
        Instant created = now.minus(Duration.ofDays(25));
        for (int i = 0; i < live; i++) {
            Instant c = created.plusMillis(i);
            String id = Ids.next(c);
            tasks.add(Task.builder(id, "train-" + i, c).project("p" + (i % 10)).status(TaskStatus.COMPLETED)
                    .statusChangedAt(c).lastUpdateAt(c).build());
            String folder = "tasks/" + id + "/artifacts/";
            Files.createDirectories(rootA.resolve(folder));
            Files.createDirectories(rootB.resolve(folder));
            for (int e = 0; e < CHECKPOINTS; e++) {
                Instant when = now.minus(Duration.ofDays(20 - e)).plusMillis(i);
                String key = folder + "epoch-" + e + ".pt";
                Files.write(rootA.resolve(key), checkpoint);
                Files.write(rootB.resolve(key), checkpoint);
                Artifact m = new Artifact(Ids.next(when), id, ArtifactKind.MODEL, "epoch-" + e + ".pt", key, CHECKPOINT_BYTES,
                        when, false, ArtifactState.LIVE);
                artifacts.add(m);
                // a loss that falls with noise, so the best three are not simply the newest
                double loss = 1.0 / (1 + e) + ((i * 31 + e * 17) % 10) * 0.02;
                metrics.put(m.id(), Map.of("val_loss", loss));
            }
            for (int d = 0; d < DEBUG_AGES_DAYS.length; d++) {
                Instant when = now.minus(Duration.ofDays(DEBUG_AGES_DAYS[d])).plusMillis(i);
                String key = folder + "sample-" + d + ".png";
                Files.write(rootA.resolve(key), sample);
                Files.write(rootB.resolve(key), sample);
                artifacts.add(new Artifact(Ids.next(when), id, ArtifactKind.DEBUG_SAMPLE, "sample-" + d + ".png", key,
                        DEBUG_BYTES, when, false, ArtifactState.LIVE));
            }
            if (tasks.size() == 100 || i == live - 1) {
                for (Reclaim r : List.of(a, b)) {
                    r.taskStore().insertTasks(tasks);
                    ArtifactCatalog.BatchRegistration reg = r.taskStore().registerBatch(artifacts, List.of(), metrics);
                    if (!reg.equals(ArtifactCatalog.BatchRegistration.ALL_REGISTERED)) {
                        throw new IllegalStateException("live artifacts not registered: " + reg);
                    }
                }
                tasks.clear();
                artifacts.clear();
                metrics.clear();
            }
        }
        return deletable;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
