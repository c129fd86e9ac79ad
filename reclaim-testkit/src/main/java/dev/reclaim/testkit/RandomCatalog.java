package dev.reclaim.testkit;

import dev.reclaim.Reclaim;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.DeleteOptions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A random catalog in a project of its own, for comparing a dry run with the run after it: tasks
 * of every status, archived at ages on both sides of {@link #THRESHOLD_DAYS} (some not archived),
 * some the child of an earlier task, some using models of earlier tasks as input; artifacts and
 * models under keys of their own or shared with other tasks, some models published; and some tasks
 * already deleted, so that their models are detached (in use, published, or kept on request); and
 * on keys of their own, LIVE records whose object is missing and PENDING records of uploads in
 * progress or abandoned, with or without their bytes.
 * Its storage keys start with the project's name, so catalogs in one store never share anything.
 */
final class RandomCatalog {
    /** The threshold a run over the catalog uses: tasks are archived between half a day and six days ago. */
    static final double THRESHOLD_DAYS = 2;

    private static final TaskStatus[] STATUSES = {TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.CREATED,
            TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELED, TaskStatus.PUBLISHED};

    /** How long ago an abandoned upload began: past the default grace period. */
    static final Duration ABANDONED_AGO = Reclaim.DEFAULT_ABANDONED_WRITE_GRACE.multipliedBy(2);

    final String project;
    /** The LIVE records made without an object (dangling), which fsck reports until they are deleted. */
    final Set<String> danglingIds = new HashSet<>();
    /** What was made, a line per step, for a failure message. */
    final List<String> description = new ArrayList<>();

    private final Reclaim reclaim;
    private final SettableClock clock;
    private final Random rnd;
    private final List<Task> tasks = new ArrayList<>();
    private final List<Artifact> models = new ArrayList<>();
    private final Map<String, Integer> sharedSizes = new HashMap<>();
    private final int sharedKeys;

    RandomCatalog(Reclaim reclaim, SettableClock clock, String project, long seed) {
        this.reclaim = reclaim;
        this.clock = clock;
        this.project = project;
        this.rnd = new Random(seed);
        int n = 4 + rnd.nextInt(13);
        this.sharedKeys = Math.max(2, n / 2);
        for (int i = 0; i < n; i++) {
            addTask(i, n);
        }
        for (Task t : List.copyOf(tasks)) {
            if (rnd.nextInt(8) == 0) {
                boolean keepModels = rnd.nextInt(3) == 0;
                reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS.forced(true).deletingOutputModels(!keepModels));
                description.add("deleted " + t.name() + (keepModels ? " keeping its models" : ""));
            }
        }
    }

    private void addTask(int i, int n) {
        String id = next();
        TaskStatus status = STATUSES[rnd.nextInt(STATUSES.length)];
        Task.Builder b = Task.builder(id, "t" + i, clock.instant()).project(project).status(status);
        StringBuilder line = new StringBuilder("t" + i + " " + status);
        if (rnd.nextInt(8) != 0) {
            // mostly archived in the order made, as tasks are, so a model's user often comes after it
            double daysAgo = Math.max(0.5, Math.min(6, 6 - 5.0 * i / n + (rnd.nextDouble() - 0.5) * 3));
            b.systemTags(Set.of(Task.ARCHIVED)).archivedAt(clock.instant().minusMillis(Math.round(daysAgo * 86_400_000)));
            line.append(String.format(" archived %.2f days ago", daysAgo));
        }
        List<Task> live = tasks.stream().filter(t -> reclaim.taskStore().findTask(t.id()).isPresent()).toList();
        if (!live.isEmpty() && rnd.nextInt(4) == 0) {
            Task parent = live.get(rnd.nextInt(live.size()));
            b.parentId(parent.id());
            line.append(" child of ").append(parent.name());
        }
        List<String> inputs = new ArrayList<>();
        if (!models.isEmpty() && rnd.nextInt(2) == 0) {
            for (int k = 1 + rnd.nextInt(2); k > 0; k--) {
                Artifact m = models.get(rnd.nextInt(models.size()));
                if (!inputs.contains(m.id())) {
                    inputs.add(m.id());
                    line.append(" uses ").append(m.name());
                }
            }
        }
        Task t = b.inputModels(inputs).build();
        reclaim.taskStore().insertTask(t);
        tasks.add(t);
        List<Artifact> made = new ArrayList<>();
        for (int k = rnd.nextInt(4); k > 0; k--) {
            made.add(artifact(t, status, made.size(), line));
        }
        reclaim.taskStore().insertArtifacts(made);
        description.add(line.toString());
    }

    private Artifact artifact(Task t, TaskStatus status, int index, StringBuilder line) {
        boolean model = rnd.nextInt(2) == 0;
        String key;
        int size;
        if (rnd.nextInt(5) < 2) {
            // about two artifacts a key: a key shared only by candidates is deleted with the last of them
            key = project + "/shared/" + rnd.nextInt(sharedKeys);
            size = sharedSizes.computeIfAbsent(key, k -> 1 + rnd.nextInt(1000));
        } else {
            key = project + "/" + t.name() + "/" + index;
            size = 1 + rnd.nextInt(1000);
        }
        boolean sharedKey = key.contains("/shared/");
        // on keys of their own: a LIVE record whose object is missing (dangling), an upload in
        // progress or one abandoned (PENDING, within or past the grace period), its bytes stored or not
        int odd = sharedKey ? -1 : rnd.nextInt(12);
        boolean dangling = odd == 0;
        boolean pending = !model && (odd == 1 || odd == 2);
        boolean abandoned = pending && odd == 2;
        boolean stored = !dangling && (!pending || rnd.nextBoolean());
        if (stored && reclaim.artifactStore().stat(key).isEmpty()) {
            reclaim.artifactStore().putBytes(key, new byte[size]);
        }
        boolean published = model && (status == TaskStatus.PUBLISHED || rnd.nextInt(10) == 0);
        String name = t.name() + (model ? "-model" : "-file") + index;
        String id = next();
        Instant created = abandoned ? clock.instant().minus(ABANDONED_AGO) : clock.instant();
        Artifact a = new Artifact(id, t.id(), model ? ArtifactKind.MODEL : ArtifactKind.ARTIFACT, name, key, size,
                created, published, pending ? ArtifactState.PENDING : ArtifactState.LIVE);
        if (model) {
            models.add(a);
        }
        if (dangling) {
            danglingIds.add(id);
        }
        line.append(" has ").append(name).append(" at ").append(key).append(published ? " (published)" : "")
                .append(dangling ? " (dangling: no object)" : "")
                .append(pending ? (abandoned ? " (PENDING, abandoned" : " (PENDING, uploading") + (stored ? ", stored)" : ", nothing stored)") : "");
        return a;
    }

    private String next() {
        clock.advance(Duration.ofMillis(1));
        return Ids.next(clock.instant());
    }

    @Override
    public String toString() {
        return String.join("\n", description);
    }
}
