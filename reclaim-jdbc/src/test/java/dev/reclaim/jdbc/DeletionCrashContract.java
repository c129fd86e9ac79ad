package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.ResumedDeletions;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A child JVM deleting 1,000 archived tasks is killed with SIGKILL at a point chosen by a seed;
 * after restart and resume, the invariants of docs/rules.md section 5 hold (checked by fsck) and
 * every protected task and object is intact. Among the tasks: keys shared with live tasks, models
 * used as input by live tasks, published models, and tasks without models, whose objects are queued
 * under one whole-task entry each.
 *
 * <p>Each task store runs it through a small subclass that says where a home's task store lives
 * and how a seed's home gets its own copy of the prepared template. The artifact store is the
 * filesystem one in the home's {@code artifacts} folder (copied with the home's files) unless the
 * subclass overrides the artifact-store hooks too, as the S3 variant does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DeletionCrashContract {
    static final int TASKS = 1000;
    static final int FILES = 3;
    /** Seeds run by default; a subclass may run fewer when its store is slow. */
    static final int SEEDS = 20;
    /** System property that sets how many seeds to run, e.g. {@code -Dreclaim.crash.seeds=50}. */
    static final String SEEDS_PROPERTY = "reclaim.crash.seeds";

    private Path template;
    private final List<Artifact> protectedArtifacts = new ArrayList<>();
    private final List<String> keeperIds = new ArrayList<>();

    /** Opens (creating it if needed) the task store of {@code home}. */
    protected abstract TaskStore openTaskStore(Path home);

    /**
     * Gives {@code home}, which already holds a copy of the template's files, its own copy of the
     * template's task store, where that store does not live in the home's files.
     */
    protected abstract void copyTaskStore(Path template, Path home) throws Exception;

    /** Arguments after the home that tell {@link CrashChild} how to open the home's task store. */
    protected abstract List<String> childStoreArgs(Path home);

    /** Frees what {@link #copyTaskStore} made for a seed's home once its test is over. */
    protected void discardTaskStore(Path home) throws Exception {
    }

    /** Opens the artifact store of {@code home}; by default the filesystem one in its {@code artifacts} folder. */
    protected ArtifactStore openArtifactStore(Path home) {
        return FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(false).open();
    }

    /**
     * Gives {@code home} its own copy of the template's objects, where they do not live in the
     * home's files; by default nothing (the {@code artifacts} folder was copied with the home).
     */
    protected void copyArtifactStore(Path template, Path home) throws Exception {
    }

    /** Arguments that tell {@link CrashChild} how to open the home's artifact store; none for the default. */
    protected List<String> childArtifactArgs(Path home) {
        return List.of();
    }

    /** Environment added to {@link CrashChild}'s (credentials it must not get as arguments). */
    protected Map<String, String> childEnvironment() {
        return Map.of();
    }

    /** Frees what {@link #copyArtifactStore} made for a seed's home once its test is over. */
    protected void discardArtifactStore(Path home) throws Exception {
    }

    /** How many seeds to run: {@value #SEEDS_PROPERTY} if set, else {@link #SEEDS}. */
    protected int seedCount() {
        return Integer.getInteger(SEEDS_PROPERTY, SEEDS);
    }

    /** The seeds to run: 1 to {@link #seedCount()}. */
    Stream<Integer> seeds() {
        return IntStream.rangeClosed(1, seedCount()).boxed();
    }

    private Reclaim open(Path home) {
        return open(home, Clock.systemUTC());
    }

    private Reclaim open(Path home, Clock clock) {
        return Reclaim.builder().taskStore(openTaskStore(home))
                .artifactStore(openArtifactStore(home))
                .stagingRoot(home.resolve("staging")).clock(clock).build();
    }

    @BeforeAll
    void prepareTemplate(@TempDir Path template) throws IOException {
        this.template = template;
        try (Reclaim r = open(template)) {
            Path content = Files.writeString(template.resolve("content"), "0123456789");
            List<String> archive = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                Task t = r.tasks().create(new NewTask("t" + i, "crash", null, i % 2 == 0 ? TaskStatus.CREATED : TaskStatus.COMPLETED,
                        Set.of(), null, Map.of()));
                List<Artifact> outputs = new ArrayList<>();
                for (int f = 0; f < FILES; f++) {
                    // every fifth task has no model (and is none of those below): its mark is independent
                    // of the others of its page and queues one whole-task entry for all its objects
                    ArtifactKind kind = f == 0 && i % 5 != 4 ? ArtifactKind.MODEL : ArtifactKind.ARTIFACT;
                    outputs.add(r.tasks().addArtifact(t.id(), kind, "f" + f, content));
                }
                if (i % 10 == 0) {
                    // a live keeper task references the same object under another record
                    Task keeper = r.tasks().create(NewTask.draft("keeper-shared-" + i));
                    Artifact shared = new Artifact(Ids.next(r.clock().instant()), keeper.id(), ArtifactKind.ARTIFACT, "shared",
                            outputs.get(1).storageKey(), outputs.get(1).sizeBytes(), r.clock().instant(), false, ArtifactState.LIVE);
                    r.taskStore().insertArtifacts(List.of(shared));
                    keeperIds.add(keeper.id());
                    protectedArtifacts.add(shared);
                }
                if (i % 25 == 1) {
                    Task consumer = r.tasks().create(NewTask.draft("keeper-consumer-" + i));
                    r.tasks().addInputModel(consumer.id(), outputs.get(0).id());
                    keeperIds.add(consumer.id());
                    protectedArtifacts.add(outputs.get(0));
                }
                if (i % 50 == 3) {
                    r.taskStore().setArtifactPublished(outputs.get(0).id(), true);
                    protectedArtifacts.add(outputs.get(0));
                }
                archive.add(t.id());
            }
            r.tasks().archive(archive);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void killedAnywhereTheDeletionResumesAndTheInvariantsHold(int seed, @TempDir Path work) throws Exception {
        Path home = work.resolve("home");
        copy(template, home);
        copyTaskStore(template, home);
        copyArtifactStore(template, home);
        int killAfter = new Random(seed).nextInt(TASKS + 50) - 25; // some before the first task, some never
        Process child = startChild(home);
        int done = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("done ")) {
                    done++;
                }
                if ((line.equals("started") && killAfter < 0) || (line.startsWith("done ") && done >= killAfter)) {
                    child.destroyForcibly();
                    break;
                }
            }
        }
        child.waitFor();

        // Restarted at once, on the real clock: the killed run's cleanup lease and its claims on the
        // queue entries it was purging have not run out, but their holder is known to be gone.
        try (Reclaim r = open(home)) {
            r.deleter().resume(DeletionListener.NONE);
            FsckReport afterCrash = r.fsck().check();
            assertThat(afterCrash.orphans()).as("orphans after kill at %d and resume", killAfter).isEmpty();
            assertThat(afterCrash.dangling()).as("dangling records").isEmpty();
            assertThat(afterCrash.stuckDeletions()).as("stuck deletions").isEmpty();
            assertProtectedIntact(r);

            r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(0).forceDelete(true).build(), null,
                    CleanupListener.NONE);
            assertThat(r.taskStore().count(TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).build())).isZero();
            assertThat(r.fsck().check().consistent()).isTrue();
            assertProtectedIntact(r);
        }
        discardTaskStore(home);
        discardArtifactStore(home);
    }

    @Test
    void rightAfterAKillMidPurgeFsckNamesTheDeadClaimHolderAndRepairFinishesAtOnce(@TempDir Path work) throws Exception {
        Path home = copyOfTemplate(work);
        long pid = killMidPurge(home);
        try (Reclaim r = open(home)) {
            List<String> stuck = r.taskStore().unfinishedDeletions(FsckReport.LISTED);
            assertThat(stuck).as("deletions the killed run had started").isNotEmpty();

            Map<String, long[]> expected = objectsAndBytesToFree(r, stuck);

            FsckReport found = r.fsck().check();
            assertThat(found.stuckDeletions()).containsExactlyElementsOf(stuck);
            assertThat(found.stuckWhy()).hasSameSizeAs(stuck).anySatisfy(why -> assertThat(why)
                    .contains("claimed by pid " + pid + " on host " + ProcessIdentity.current().host() + " until ")
                    .contains("it will be resumed then, or now if that process is gone")
                    .contains("it is gone, so the next cleanup or fsck --repair finishes it now"));

            FsckReport repaired = r.fsck().repair();
            assertThat(repaired.stuckDeletions()).as("finished at once, not after the claim timeout").isEmpty();
            assertThat(repaired.consistent()).isTrue();
            assertThat(repaired.resumed()).isEqualTo(new ResumedDeletions(stuck.size(),
                    expected.values().stream().mapToLong(e -> e[0]).sum(), expected.values().stream().mapToLong(e -> e[1]).sum()));
            assertThat(repaired.resumed().objects()).as("the killed run deleted some of them before it died").isPositive();
            assertProtectedIntact(r);
        }
        discardTaskStore(home);
        discardArtifactStore(home);
    }

    @Test
    void rightAfterAKillMidPurgeTheNextCleanupRunsAtOnceAndCountsTheDeletionsItResumed(@TempDir Path work) throws Exception {
        Path home = copyOfTemplate(work);
        killMidPurge(home);
        try (Reclaim r = open(home)) {
            List<String> stuck = r.taskStore().unfinishedDeletions(FsckReport.LISTED);
            assertThat(stuck).as("deletions the killed run had started").isNotEmpty();
            Map<String, long[]> expected = objectsAndBytesToFree(r, stuck);

            CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(0).forceDelete(true).build(),
                    null, CleanupListener.NONE);

            assertThat(run.resumed()).as("the deletions the killed run started, finished and counted by this one")
                    .isEqualTo(new ResumedDeletions(stuck.size(), expected.values().stream().mapToLong(e -> e[0]).sum(),
                            expected.values().stream().mapToLong(e -> e[1]).sum()));
            assertThat(run.items()).extracting(CleanupRun.Item::taskId).doesNotContainAnyElementsOf(stuck);
            assertThat(r.taskStore().count(TaskQuery.builder().systemTags(List.of(Task.ARCHIVED)).build())).isZero();
            assertThat(r.fsck().check().consistent()).isTrue();
            assertProtectedIntact(r);
        }
        discardTaskStore(home);
        discardArtifactStore(home);
    }

    /** A home of its own with a copy of the template's stores. */
    private Path copyOfTemplate(Path work) throws Exception {
        Path home = work.resolve("home");
        copy(template, home);
        copyTaskStore(template, home);
        copyArtifactStore(template, home);
        return home;
    }

    /**
     * Starts a cleanup child that deletes its first storage batches and then hangs, and kills it
     * (SIGKILL) once it says so: it dies holding the cleanup lease and claims on queue entries whose
     * objects are gone.
     *
     * @return the killed child's pid
     */
    private long killMidPurge(Path home) throws Exception {
        Process child = startChild(home, "--hang-after-delete");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals("purged")) {
                // wait for the first storage batch to be deleted
            }
            assertThat(line).as("the child's output before it ended").isEqualTo("purged");
        } finally {
            child.destroyForcibly();
            child.waitFor();
        }
        return child.pid();
    }

    private Process startChild(Path home, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), home.toString()));
        command.addAll(childStoreArgs(home));
        command.addAll(childArtifactArgs(home));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(childEnvironment());
        return builder.start();
    }

    /**
     * What finishing each of these deletions frees, counted from the records: the distinct storage
     * keys of the task's artifacts being deleted that no live artifact references, and their bytes.
     */
    private static Map<String, long[]> objectsAndBytesToFree(Reclaim r, List<String> taskIds) {
        Map<String, long[]> out = new HashMap<>();
        for (String id : taskIds) {
            Map<String, Long> keys = new HashMap<>();
            for (Artifact a : r.taskStore().artifactsOf(id)) {
                if (a.state() == ArtifactState.DELETING && !r.taskStore().isReferencedByLiveArtifact(a.storageKey())) {
                    keys.put(a.storageKey(), a.sizeBytes());
                }
            }
            out.put(id, new long[]{keys.size(), keys.values().stream().mapToLong(Long::longValue).sum()});
        }
        return out;
    }

    private void assertProtectedIntact(Reclaim r) {
        for (String id : keeperIds) {
            assertThat(r.taskStore().findTask(id)).as("keeper task %s", id).isPresent();
        }
        for (Artifact a : protectedArtifacts) {
            assertThat(r.taskStore().findArtifact(a.id())).as("record of protected %s", a.storageKey()).isPresent();
            assertThat(r.artifactStore().stat(a.storageKey())).as("object %s", a.storageKey()).isPresent();
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().endsWith("-shm")) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
