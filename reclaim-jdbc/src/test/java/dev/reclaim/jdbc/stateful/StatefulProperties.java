package dev.reclaim.jdbc.stateful;

import dev.reclaim.ReclaimException;
import dev.reclaim.StoreException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tasks.AddedArtifact;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The promise as a stateful property: random sequences of what users do through the Java API, with
 * the process killed inside or between steps, checked after every step against a reference model
 * ({@link Invariants}) and, at the end, by deleting everything: nothing may be left but the files
 * Reclaim did not write. A backend runs it by supplying a {@link Backend} and a property method.
 */
abstract class StatefulProperties {
    private static final TaskStatus[] STATUSES = {TaskStatus.CREATED, TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.FAILED};
    private static final ArtifactKind[] KINDS = {ArtifactKind.MODEL, ArtifactKind.ARTIFACT, ArtifactKind.DEBUG_SAMPLE};

    /** Where the task store of each sequence lives. */
    abstract Backend backend();

    @Provide
    Arbitrary<List<Step>> sequences() {
        return Step.any().list().ofMinSize(8).ofMaxSize(40);
    }

    /** What a sequence came to, for the property's statistics. */
    record Outcome(int processDeaths, int artifactsAdded) {
        /** Reports how many sequences crashed and how many artifacts they added (shown with -Djqwik.reporting.onlyfailures=false). */
        void collect() {
            Statistics.label("process deaths").collect(Math.min(processDeaths, 3));
            Statistics.label("artifacts added").collect(Math.min(artifactsAdded / 4 * 4, 12));
        }
    }

    /** Runs {@code steps} on a new world and checks it after each and at the end. */
    Outcome holdsFor(List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("reclaim-props-");
        try (World w = new World(backend(), dir)) {
            Reference ref = new Reference();
            plantForeignFiles(w, ref);
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                String at = "step " + (i + 1) + " of " + steps.size() + " (" + step + ")";
                try {
                    apply(w, ref, step);
                } catch (Throwable e) {
                    if (!w.fuse.blown()) {
                        throw new AssertionError(at + " failed: " + e, e);
                    }
                }
                if (w.fuse.blown()) {
                    w.restart();
                }
                try {
                    Invariants.check(w, ref);
                } catch (AssertionError e) {
                    throw new AssertionError("after " + at + ", " + w.restarts + " restart(s): " + e.getMessage(), e);
                }
            }
            try {
                deleteEverything(w, ref);
            } catch (AssertionError e) {
                throw new AssertionError("deleting everything after " + steps.size() + " step(s), " + w.restarts
                        + " restart(s): " + e.getMessage(), e);
            }
            return new Outcome(w.restarts, ref.bytesById.size());
        } finally {
            deleteTree(dir);
        }
    }

    /** Someone else's files: in the root, in Reclaim's own folder of tasks, and beside the root. */
    private static void plantForeignFiles(World w, Reference ref) {
        for (String name : List.of("README.txt", "foreign/data.bin", "tasks/notes.txt", "tasks/not-a-task/keep.bin",
                "../outside/precious.bin")) {
            byte[] bytes = ("someone else's " + name).getBytes(StandardCharsets.UTF_8);
            w.place.putForeign(name, bytes);
            ref.foreignFiles.put(name, bytes);
        }
    }

    // ---- the steps -------------------------------------------------------------------------------

    private void apply(World w, Reference ref, Step step) throws IOException {
        if (step instanceof Step.Create s) {
            create(w, ref, s);
        } else if (step instanceof Step.Add s) {
            add(w, ref, s);
        } else if (step instanceof Step.AddInput s) {
            String task = ref.task(s.task());
            String model = ref.model(s.model());
            if (task != null && model != null) {
                refusable(() -> w.reclaim().tasks().addInputModel(task, model));
            }
        } else if (step instanceof Step.Publish s) {
            withTask(ref, s.task(), id -> refusable(() -> w.reclaim().tasks().publish(id)));
        } else if (step instanceof Step.Archive s) {
            withTask(ref, s.task(), id -> w.reclaim().tasks().archive(List.of(id)));
        } else if (step instanceof Step.Unarchive s) {
            withTask(ref, s.task(), id -> w.reclaim().tasks().unarchive(List.of(id)));
        } else if (step instanceof Step.Delete s) {
            withTask(ref, s.task(), id -> delete(w, id, s));
        } else if (step instanceof Step.Cleanup s) {
            cleanup(w, s);
        } else if (step instanceof Step.Fsck s) {
            fsck(w, s.repair());
        } else if (step instanceof Step.Wait s) {
            w.clock.advance(Duration.ofHours(s.hours()));
        } else if (step instanceof Step.CrashAt s) {
            w.fuse.arm(s.call(), s.afterCall());
        } else if (step instanceof Step.Restart) {
            w.fuse.blow("a restart between steps");
        } else {
            throw new IllegalArgumentException("no such step: " + step);
        }
    }

    private static void withTask(Reference ref, int index, Consumer<String> action) {
        String id = ref.task(index);
        if (id != null) {
            action.accept(id);
        }
    }

    /** Runs an action the rules may refuse: a refusal (with its reason) is an outcome, a store failure is not. */
    private static boolean refusable(Runnable action) {
        try {
            action.run();
            return true;
        } catch (StoreException e) {
            throw e;
        } catch (ReclaimException e) {
            return false;
        }
    }

    private static void create(World w, Reference ref, Step.Create s) {
        String parent = s.parent() < 0 ? null : ref.task(s.parent());
        NewTask spec = new NewTask("t" + ref.taskIds.size(), "p", null, STATUSES[s.status()], Set.of(), parent, Map.of());
        refusable(() -> ref.taskIds.add(w.reclaim().tasks().create(spec).id())); // a deleted parent is refused
    }

    private static void add(World w, Reference ref, Step.Add s) throws IOException {
        String task = ref.task(s.task());
        if (task == null) {
            return;
        }
        ArtifactKind kind = KINDS[s.kind()];
        String name = kind.folder() + "-" + s.name() + ".bin";
        List<Artifact> before = w.tasks().artifactsOf(task);
        boolean taken = before.stream().anyMatch(a -> a.state() == ArtifactState.LIVE && a.kind() == kind && a.name().equals(name));
        byte[] bytes = ref.newContent(s.size());
        Path file = Files.write(w.dir.resolve("upload.bin"), bytes);
        AddedArtifact added;
        try {
            added = w.reclaim().tasks().addArtifact(task, kind, name, file, s.replace());
        } catch (Fuse.Crash e) {
            ref.unknownAdds.add(new Reference.UnknownAdd(task, kind, name, bytes));
            throw e;
        } catch (StoreException e) {
            throw e;
        } catch (ReclaimException e) {
            if (w.fuse.blown()) {
                ref.unknownAdds.add(new Reference.UnknownAdd(task, kind, name, bytes));
                throw e;
            }
            List<Artifact> after = w.tasks().artifactsOf(task);
            if (!after.equals(before)) {
                throw new AssertionError("a refused add changed the task's artifacts: " + e.getMessage() + "\nbefore: " + before
                        + "\nafter: " + after);
            }
            return;
        }
        if (taken && !s.replace()) {
            throw new AssertionError("an add under the taken name '" + name + "' was not refused");
        }
        ref.added(added.artifact().id(), kind, bytes);
    }

    private static void delete(World w, String id, Step.Delete s) {
        Optional<Task> before = w.tasks().findTask(id);
        DeleteResult r = w.reclaim().tasks().delete(id,
                DeleteOptions.DEFAULTS.forced(s.force()).deletingOutputModels(!s.keepModels()));
        if (before.isPresent() && before.get().isLive() && before.get().status() == TaskStatus.PUBLISHED && !s.force()
                && r.deleted()) {
            throw new AssertionError("a published task was deleted without force");
        }
    }

    private static void cleanup(World w, Step.Cleanup s) {
        CleanupSettings settings = CleanupSettings.builder().deleteThresholdDays(s.thresholdDays()).forceDelete(s.force())
                .pageSize(s.pageSize()).parallelism(s.parallelism()).keepLast(s.keepLast() ? 1 : 0).build();
        Map<String, Task> before = liveTasks(w);
        CleanupRun dry = w.reclaim().cleanup().runOnce(settings.toBuilder().dryRun(true).build(), null, CleanupListener.NONE);
        CleanupRun real = w.reclaim().cleanup().runOnce(settings, null, CleanupListener.NONE);
        if (!report(dry).equals(report(real))) {
            throw new AssertionError("the dry run reported\n  " + String.join("\n  ", report(dry))
                    + "\nbut the run then did\n  " + String.join("\n  ", report(real)));
        }
        for (CleanupRun.Item i : real.items()) {
            if (i.outcome() != CleanupRun.Outcome.DELETED) {
                continue;
            }
            Task t = before.get(i.taskId());
            if (t == null || !t.isArchived() || t.status() == TaskStatus.PUBLISHED
                    || (!s.force() && t.status() != TaskStatus.CREATED)) {
                throw new AssertionError("cleanup deleted " + i.taskId() + ", which its rules keep: " + t);
            }
        }
    }

    /** A run's report as its dry run gives it: every task in order with its outcome, objects and bytes, and the totals. */
    private static List<String> report(CleanupRun r) {
        List<String> lines = new ArrayList<>();
        for (CleanupRun.Item i : r.items()) {
            CleanupRun.Outcome o = i.outcome() == CleanupRun.Outcome.DELETED ? CleanupRun.Outcome.WOULD_DELETE : i.outcome();
            lines.add(i.taskId() + " " + o + " " + i.objects() + " object(s) " + i.bytes() + " B");
        }
        lines.add("candidates " + r.candidates() + ", deleted " + r.deleted() + ", skipped " + r.skipped() + ", failed "
                + r.failed() + ", " + r.objects() + " object(s), " + r.bytes() + " B");
        return lines;
    }

    private static void fsck(World w, boolean repair) {
        Fsck fsck = w.reclaim().fsck();
        FsckReport r = repair ? fsck.repair() : fsck.check();
        if (r.danglingCount() > 0 || r.writes().sizeMismatchCount() > 0 || r.writes().checksumMismatchCount() > 0
                || !r.integrityProblems().isEmpty()) {
            throw new AssertionError("fsck found what no sequence of API calls and crashes may cause: " + r);
        }
        if (r.orphanCount() > 0) {
            throw new AssertionError("fsck found orphans, which the pending-upload protocol never leaves: " + r.orphans());
        }
    }

    // ---- the end: delete everything, and nothing may be left --------------------------------------

    private static void deleteEverything(World w, Reference ref) {
        w.fuse.disarm();
        if (w.fuse.blown()) {
            w.restart();
        }
        w.clock.advance(World.RESTART_TAKES);
        w.reclaim().fsck().repair();
        for (Task t : allTasks(w)) {
            if (ServiceTask.is(t)) {
                continue;
            }
            DeleteResult r = w.reclaim().tasks().delete(t.id(), DeleteOptions.DEFAULTS.forced(true));
            if (!r.deleted()) {
                throw new AssertionError("task " + t.id() + " (" + t.status() + ") was not deleted with force: " + r.error());
            }
        }
        for (Artifact a : liveArtifacts(w)) {
            if (a.kind() != ArtifactKind.MODEL || w.tasks().findTask(a.taskId()).isPresent()) {
                throw new AssertionError("with every task deleted, artifact " + a + " is still LIVE");
            }
            DeletionReport r = w.reclaim().deleter().deleteDetachedModel(a.id(), true, "props", "delete everything",
                    DeletionListener.NONE);
            if (r.outcome() != DeletionReport.Outcome.DELETED) {
                throw new AssertionError("detached model " + a.id() + " was not deleted with force: " + r);
            }
        }
        FsckReport after = w.reclaim().fsck().repair();
        List<String> problems = new ArrayList<>();
        if (!liveArtifacts(w).isEmpty()) {
            problems.add("LIVE artifacts: " + liveArtifacts(w));
        }
        if (!w.tasks().pendingArtifactsBefore(w.clock.instant().plus(Duration.ofDays(3650)), 10).isEmpty()) {
            problems.add("PENDING uploads: " + w.tasks().pendingArtifactsBefore(w.clock.instant().plus(Duration.ofDays(3650)), 10));
        }
        if (!w.tasks().pendingDeletes(10).isEmpty()) {
            problems.add("queued deletions: " + w.tasks().pendingDeletes(10));
        }
        if (!w.tasks().unfinishedDeletions(10).isEmpty()) {
            problems.add("unfinished deletions: " + w.tasks().unfinishedDeletions(10));
        }
        List<String> left = Invariants.leftInRoot(w, ref);
        if (!left.isEmpty()) {
            problems.add("files in the artifact root: " + left);
        }
        if (!after.consistent()) {
            problems.add("fsck: " + after);
        }
        Invariants.foreignFilesAreUntouched(w, ref);
        if (!problems.isEmpty()) {
            throw new AssertionError(String.join("\n", problems));
        }
    }

    private static List<Task> allTasks(World w) {
        List<Task> all = new ArrayList<>();
        String cursor = null;
        do {
            Page<Task> page = w.tasks().query(TaskQuery.builder().includeDeleting(true).pageSize(500).cursor(cursor).build());
            all.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        // children first, so no delete has to update a child that is itself about to go
        all.sort(Comparator.comparing(Task::id).reversed());
        return all;
    }

    private static Map<String, Task> liveTasks(World w) {
        Map<String, Task> live = new HashMap<>();
        for (Task t : allTasks(w)) {
            if (t.isLive()) {
                live.put(t.id(), t);
            }
        }
        return live;
    }

    private static List<Artifact> liveArtifacts(World w) {
        return w.tasks().liveArtifactsAfter(null, 1000);
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
