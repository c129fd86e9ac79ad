package dev.reclaim.delete;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.TaskCatalog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Leftovers of uploads whose writer died: PENDING artifact records registered longer ago than
 * the grace period (a killed {@code tasks artifacts add}, a worker that died
 * while storing a job's outputs), and the artifact store's leftovers of interrupted puts (temp
 * files) untouched for that long. Until the grace period has passed they may belong to a write
 * still running, so they are left alone. fsck reports them; {@code fsck --repair} and every
 * Cleanup Service run remove them: the records through the deletion engine (an artifacts-only mark
 * of just those records, which deletes whatever their keys hold, counting only objects that
 * existed), the temp files by the artifact store.
 */
public final class AbandonedWrites {
    /** Abandoned records marked per task and per round. */
    private static final int PAGE = 500;
    /** Most abandoned records read to count them. */
    private static final int MOST_COUNTED = 100_000;
    private static final int MARK_ATTEMPTS = 3;

    private final TaskCatalog catalog;
    private final ArtifactCatalog records;
    private final ArtifactStore artifacts;
    private final Deleter deleter;
    private final Clock clock;
    private final Duration grace;

    /**
     * @param store     the task and artifact records
     * @param artifacts where the uploads were being written
     * @param deleter   removes abandoned records and their bytes
     * @param clock     time source
     * @param grace     how long an upload may go unfinished before its leftovers count as abandoned
     */
    public <S extends TaskCatalog & ArtifactCatalog> AbandonedWrites(S store, ArtifactStore artifacts, Deleter deleter,
                                                                     Clock clock, Duration grace) {
        this.catalog = store;
        this.records = store;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.clock = clock;
        this.grace = grace;
    }

    /** Leftovers last touched before this are abandoned: now minus the grace period. */
    public Instant cutoff() {
        return clock.instant().minus(grace);
    }

    /**
     * What is left behind now.
     *
     * @param uploads            the first abandoned PENDING records, oldest first
     * @param uploadCount        how many (counted up to 100,000)
     * @param interruptedWrites  the first leftovers of interrupted puts
     * @param interruptedCount   how many in all
     * @param interruptedBytes   their bytes
     */
    public record Found(List<Artifact> uploads, long uploadCount, List<ObjectInfo> interruptedWrites, long interruptedCount,
                       long interruptedBytes) {
        public Found {
            uploads = List.copyOf(uploads);
            interruptedWrites = List.copyOf(interruptedWrites);
        }
    }

    /**
     * What {@link #remove} removed.
     *
     * @param uploads          abandoned PENDING records removed
     * @param objects          objects their keys held (those that existed)
     * @param bytes            the recorded size of those objects
     * @param interruptedWrites leftovers of interrupted puts removed
     * @param interruptedBytes  their bytes
     */
    public record Removed(long uploads, long objects, long bytes, long interruptedWrites, long interruptedBytes) {
        /** True when nothing was there to remove. */
        public boolean nothing() {
            return uploads == 0 && interruptedWrites == 0;
        }
    }

    /** Lists what is left behind, the first {@code listed} of each kind; changes nothing. */
    public Found find(int listed) {
        Instant cutoff = cutoff();
        List<Artifact> pending = records.pendingArtifactsBefore(cutoff, MOST_COUNTED);
        List<ObjectInfo> writes = new ArrayList<>();
        long[] count = new long[2];
        artifacts.listInterruptedWrites("", cutoff, w -> {
            count[0]++;
            count[1] += w.sizeBytes();
            if (writes.size() < listed) {
                writes.add(w);
            }
        });
        return new Found(pending.subList(0, Math.min(listed, pending.size())), pending.size(), writes, count[0], count[1]);
    }

    /**
     * Removes what is left behind: the abandoned records (and whatever their keys hold) through the
     * deletion engine, and the leftovers of interrupted puts, either in the folders of those
     * records' keys (where a killed put leaves them: its record is registered before it writes) or
     * in the whole store.
     *
     * @param actor      recorded in the audit trail
     * @param listener   told about each object deleted
     * @param wholeStore true: look for leftovers of interrupted puts everywhere, which walks the
     *                   whole store (fsck does anyway); false: only in the folders of the abandoned
     *                   records, which costs a Cleanup Service run nothing when there are none
     */
    public Removed remove(String actor, DeletionListener listener, boolean wholeStore) {
        Instant cutoff = cutoff();
        long uploads = 0;
        long objects = 0;
        long bytes = 0;
        long[] interrupted = new long[2];
        Consumer<ObjectInfo> count = w -> {
            interrupted[0]++;
            interrupted[1] += w.sizeBytes();
        };
        Set<String> tried = new HashSet<>();
        Set<String> folders = new HashSet<>();
        while (true) {
            List<Artifact> page = records.pendingArtifactsBefore(cutoff, PAGE).stream().filter(a -> !tried.contains(a.id())).toList();
            if (page.isEmpty()) {
                break;
            }
            Map<String, Set<String>> byTask = new LinkedHashMap<>();
            for (Artifact a : page) {
                tried.add(a.id());
                byTask.computeIfAbsent(a.taskId(), k -> new TreeSet<>()).add(a.id());
                String folder = a.storageKey().substring(0, a.storageKey().lastIndexOf('/') + 1);
                if (!wholeStore && !folder.isEmpty() && folders.add(folder)) {
                    artifacts.removeInterruptedWrites(folder, cutoff, count);
                }
            }
            for (Map.Entry<String, Set<String>> e : byTask.entrySet()) {
                Optional<DeletionReport> r = deleteRecords(e.getKey(), e.getValue(), cutoff, actor, listener);
                if (r.isPresent()) {
                    uploads += e.getValue().size();
                    objects += r.get().objects();
                    bytes += r.get().bytes();
                }
            }
        }
        if (wholeStore) {
            artifacts.removeInterruptedWrites("", cutoff, count);
        }
        return new Removed(uploads, objects, bytes, interrupted[0], interrupted[1]);
    }

    /** An artifacts-only mark of the task's abandoned records; empty when the task kept changing or is gone. */
    private Optional<DeletionReport> deleteRecords(String taskId, Set<String> ids, Instant cutoff, String actor,
                                                   DeletionListener listener) {
        for (int attempt = 0; attempt < MARK_ATTEMPTS; attempt++) {
            Optional<Task> t = catalog.findTask(taskId).filter(Task::isLive);
            if (t.isEmpty()) {
                return Optional.empty(); // its deletion has started and takes its records with it
            }
            DeletionReport r = deleter.delete(DeletionMark.artifacts(taskId, t.get().version(), ids,
                    "abandoned upload(s), registered before " + cutoff, actor, clock.instant()), listener);
            if (r.outcome() != DeletionReport.Outcome.CHANGED) {
                return r.outcome() == DeletionReport.Outcome.NOT_FOUND ? Optional.empty() : Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
