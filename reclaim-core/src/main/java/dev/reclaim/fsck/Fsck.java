package dev.reclaim.fsck;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.model.Artifact;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.TaskStore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the invariants of semantics.md section 5 against the real stores: orphan objects (no
 * record, no queue entry, not being written), dangling records (LIVE artifact, missing object),
 * stuck deletions, stored bytes that are not the recorded ones (size; SHA-256 when
 * {@link #verifyingChecksums asked}) and leftovers of uploads abandoned longer than the grace
 * period ({@link AbandonedWrites}). Repairs only when asked: orphans are queued and purged,
 * dangling records removed, stuck deletions resumed, abandoned uploads removed; a size or checksum
 * mismatch is only reported. Memory stays flat: keys and records are checked in batches.
 */
public final class Fsck {
    private static final int BATCH = 1000;

    private final Reclaim reclaim;
    private final boolean verifyChecksums;

    /** Created on a Reclaim instance. */
    public Fsck(Reclaim reclaim) {
        this(reclaim, false);
    }

    private Fsck(Reclaim reclaim, boolean verifyChecksums) {
        this.reclaim = reclaim;
        this.verifyChecksums = verifyChecksums;
    }

    /**
     * An fsck that also reads every LIVE artifact's object that has a recorded checksum and compares
     * its SHA-256 (sizes are always compared): as slow as reading the whole store.
     */
    public Fsck verifyingChecksums() {
        return new Fsck(reclaim, true);
    }

    /** Checks; changes nothing. */
    public FsckReport check() {
        return run(false);
    }

    /** Checks and repairs what it finds; then checks again and reports that second look. */
    public FsckReport repair() {
        run(true);
        FsckReport after = run(false);
        return new FsckReport(after.objectsScanned(), after.recordsScanned(), after.orphans(), after.orphanCount(),
                after.dangling(), after.danglingCount(), after.stuckDeletions(), after.failingQueue(), true, after.writes());
    }

    private FsckReport run(boolean repair) {
        TaskStore tasks = reclaim.taskStore();
        ArtifactStore artifacts = reclaim.artifactStore();
        if (repair) {
            reclaim.deleter().resume(DeletionListener.NONE);
            new AbandonedWrites(reclaim).remove(reclaim.user(), DeletionListener.NONE, true);
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
        // Dangling: LIVE records whose object is missing. Objects that are there: their sizes (and checksums).
        ContentCheck content = new ContentCheck(artifacts, verifyChecksums);
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
                Optional<ObjectInfo> stored = artifacts.stat(a.storageKey());
                stored.ifPresent(info -> content.check(a, info));
                if (stored.isEmpty()) {
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
                content.findings(new AbandonedWrites(reclaim).find(FsckReport.LISTED)));
    }
}
