package dev.reclaim.fsck;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.model.Artifact;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.TaskStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks the invariants of semantics.md section 5 against the real stores: first the task store's
 * own integrity (a damaged database stops fsck), then orphan objects (no record, no queue entry,
 * not being written), dangling records (LIVE artifact, missing object) and stuck deletions. Repairs only when asked: orphans are queued and purged, dangling records
 * removed, stuck deletions resumed. Memory stays flat: keys and records are checked in batches.
 */
public final class Fsck {
    private static final int BATCH = 1000;

    private final Reclaim reclaim;

    /** Created on a Reclaim instance. */
    public Fsck(Reclaim reclaim) {
        this.reclaim = reclaim;
    }

    /** Checks; changes nothing. */
    public FsckReport check() {
        return run(false);
    }

    /**
     * Checks and repairs what it finds; then checks again and reports that second look. A damaged
     * database is reported and nothing is repaired.
     */
    public FsckReport repair() {
        FsckReport first = run(true);
        if (!first.integrityProblems().isEmpty()) {
            return first;
        }
        FsckReport after = run(false);
        return new FsckReport(after.objectsScanned(), after.recordsScanned(), after.orphans(), after.orphanCount(),
                after.dangling(), after.danglingCount(), after.stuckDeletions(), after.failingQueue(), true,
                after.integrityProblems());
    }

    private FsckReport run(boolean repair) {
        TaskStore tasks = reclaim.taskStore();
        ArtifactStore artifacts = reclaim.artifactStore();
        // Every other check reads the records; from a damaged database they could call a referenced
        // object an orphan, and a repair would delete it. So damage stops fsck here.
        List<String> damage = tasks.integrityProblems();
        if (!damage.isEmpty()) {
            return new FsckReport(0, 0, List.of(), 0, List.of(), 0, List.of(), List.of(), false, damage);
        }
        if (repair) {
            reclaim.deleter().resume(DeletionListener.NONE);
        }
        // Orphans: objects no record and no queue entry names.
        List<String> orphans = new ArrayList<>();
        long[] orphanCount = {0};
        long[] objects = {0};
        List<String> batch = new ArrayList<>(BATCH);
        Runnable flush = () -> {
            Set<String> known = tasks.knownKeys(batch);
            List<String> unknown = batch.stream().filter(k -> !known.contains(k)).toList();
            orphanCount[0] += unknown.size();
            for (String k : unknown) {
                if (orphans.size() < FsckReport.LISTED) {
                    orphans.add(k);
                }
            }
            if (repair && !unknown.isEmpty()) {
                tasks.enqueueOrphans(unknown, reclaim.clock().instant());
            }
            batch.clear();
        };
        artifacts.list("", o -> {
            objects[0]++;
            batch.add(o.key());
            if (batch.size() == BATCH) {
                flush.run();
            }
        });
        flush.run();
        if (repair && orphanCount[0] > 0) {
            reclaim.deleter().purge(null, DeletionListener.NONE);
        }
        // Dangling: LIVE records whose object is missing.
        List<String> dangling = new ArrayList<>();
        long danglingCount = 0;
        long records = 0;
        String after = null;
        while (true) {
            List<Artifact> page = tasks.liveArtifactsAfter(after, BATCH);
            if (page.isEmpty()) {
                break;
            }
            for (Artifact a : page) {
                records++;
                if (artifacts.stat(a.storageKey()).isEmpty()) {
                    danglingCount++;
                    if (dangling.size() < FsckReport.LISTED) {
                        dangling.add(a.id() + " (" + a.storageKey() + ")");
                    }
                    if (repair) {
                        tasks.dropDanglingArtifact(a.id());
                    }
                }
            }
            after = page.get(page.size() - 1).id();
        }
        List<String> stuck = tasks.unfinishedDeletions(FsckReport.LISTED);
        List<String> failing = new ArrayList<>();
        for (PendingDelete p : tasks.pendingDeletes(FsckReport.LISTED)) {
            if (p.attempts() > 0) {
                failing.add(p.storageKey() + ": " + p.attempts() + " failed attempt(s), last: " + p.lastError());
            }
        }
        return new FsckReport(objects[0], records, orphans, orphanCount[0], dangling, danglingCount, stuck, failing, repair,
                List.of());
    }
}
