package dev.reclaim.fsck;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.model.Artifact;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ConsistencyChecks;
import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.ResumedDeletions;
import dev.reclaim.store.RootRegistry;
import dev.reclaim.store.StorageUsage;
import dev.reclaim.store.StorageKeys;

import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Checks the invariants of docs/rules.md section 5 against the real stores: first the task store's
 * own integrity (a damaged database stops fsck), then orphan objects (no record, no queue entry,
 * not being written), dangling records (LIVE artifact, missing object), detached models with no
 * owner and no user, stuck deletions (and who holds them), stored bytes that are not the recorded ones (size; SHA-256 when {@link #verifyingChecksums asked}) and
 * leftovers of uploads abandoned longer than the grace period ({@link AbandonedWrites}). Repairs
 * only when asked: stuck deletions are resumed (claims of processes known to be gone taken over),
 * orphans queued and purged, dangling records removed, unused detached models deleted (published
 * ones and ones kept on request are only listed), abandoned uploads removed; a size or checksum
 * mismatch is only reported. Memory stays flat: keys and records are checked in batches.
 *
 * <p>Only objects in the folder of a task this store has or had ({@code tasks/<task id>/...},
 * {@link StorageKeys#isInReclaimNamespace}, {@link ConsistencyChecks#knownTaskIds}) are orphans: Reclaim
 * wrote them and lost their record in a crash. Any other object without a record was put there by someone else: it is reported as
 * <em>unmanaged</em> and never deleted, unless a person names it ({@link #deleteUnmanaged},
 * invariant 7). A repair first checks again that the root is still this task store's.
 */
public final class Fsck {
    private static final int BATCH = 1000;

    private final ConsistencyChecks checks;
    private final ArtifactCatalog records;
    private final DeletionQueue queue;
    private final RootRegistry roots;
    private final ArtifactStore artifacts;
    private final Deleter deleter;
    private final AbandonedWrites abandoned;
    private final Clock clock;
    private final String user;
    private final boolean verifyChecksums;
    private final StorageUsage usage;

    /**
     * @param store     the roles fsck reads and repairs: consistency checks, artifact records, the
     *                  deletion queue, the root binding
     * @param artifacts the artifact root it compares with the records
     * @param deleter   purges what a repair queues
     * @param abandoned finds and removes leftovers of unfinished uploads
     * @param clock     time source
     * @param user      the actor a repair records
     */
    public <S extends ConsistencyChecks & ArtifactCatalog & DeletionQueue & RootRegistry & StorageUsage> Fsck(
            S store, ArtifactStore artifacts, Deleter deleter, AbandonedWrites abandoned, Clock clock, String user) {
        this(store, store, store, store, store, artifacts, deleter, abandoned, clock, user, false);
    }

    private Fsck(ConsistencyChecks checks, ArtifactCatalog records, DeletionQueue queue, RootRegistry roots,
                 StorageUsage usage, ArtifactStore artifacts, Deleter deleter, AbandonedWrites abandoned, Clock clock,
                 String user, boolean verifyChecksums) {
        this.checks = checks;
        this.usage = usage;
        this.records = records;
        this.queue = queue;
        this.roots = roots;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.abandoned = abandoned;
        this.clock = clock;
        this.user = user;
        this.verifyChecksums = verifyChecksums;
    }

    /**
     * An fsck that also reads every LIVE artifact's object that has a recorded checksum and compares
     * its SHA-256 (sizes are always compared): as slow as reading the whole store.
     */
    public Fsck verifyingChecksums() {
        return new Fsck(checks, records, queue, roots, usage, artifacts, deleter, abandoned, clock, user, true);
    }

    /** Where the artifact root is, as its store describes it. */
    public String rootLocation() {
        return artifacts.describe();
    }

    /** The id of the task store the root belongs to. */
    public String taskStoreId() {
        return roots.storeId();
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
        FsckReport repairing = run(true);
        if (!repairing.integrityProblems().isEmpty()) {
            return repairing;
        }
        return run(false).repairedWith(repairing.resumed());
    }

    /**
     * Deletes objects a person names that no artifact record and no queue entry names: unmanaged
     * objects (or orphans), through the deletion queue. Every key is checked first: when one is not
     * a storage key, names no object, or is named by a record, nothing is deleted.
     *
     * @return how many objects were deleted
     * @throws dev.reclaim.InvalidArgumentException saying which key and why; nothing was deleted
     */
    public long deleteUnmanaged(Collection<String> keys) {
        ArtifactRoots.check(roots, artifacts);
        Set<String> named = new LinkedHashSet<>();
        for (String k : keys) {
            named.add(StorageKeys.validateRecorded(k));
        }
        for (String k : named) {
            if (artifacts.stat(k).isEmpty()) {
                throw new InvalidArgumentException("there is no object '" + k + "' in " + artifacts.describe()
                        + "; nothing was deleted (run fsck to list the unmanaged objects)");
            }
        }
        Set<String> known = records.knownKeys(named);
        if (!known.isEmpty()) {
            throw new InvalidArgumentException("object '" + known.iterator().next() + "' is Reclaim's: an artifact record "
                    + "or a queued deletion names it, and it goes with its task; nothing was deleted");
        }
        checks.enqueueOrphans(List.copyOf(named), clock.instant());
        AtomicLong deleted = new AtomicLong();
        deleter.purge(null, new DeletionListener() {
            @Override
            public void objectDeleted(String storageKey, long bytes) {
                if (named.contains(storageKey)) {
                    deleted.incrementAndGet();
                }
            }
        });
        return deleted.get();
    }

    private FsckReport run(boolean repair) {
        // Every other check reads the records; from a damaged database they could call a referenced
        // object an orphan, and a repair would delete it. So damage stops fsck here.
        List<String> damage = checks.integrityProblems();
        if (!damage.isEmpty()) {
            return FsckReport.damaged(damage);
        }
        if (repair) {
            ArtifactRoots.check(roots, artifacts);
        }
        // Stuck deletions first: resuming takes over the claims of processes known to be gone, so
        // a deletion a killed process was purging is finished now, not when its claims run out.
        ResumedDeletions resumed = repair ? deleter.resumeAll(DeletionListener.NONE)
                : ResumedDeletions.NONE;
        List<String> storeProblems = new ArrayList<>();
        if (repair) {
            try {
                abandoned.remove(user, DeletionListener.NONE, true);
            } catch (StoreException | UncheckedIOException e) {
                storeProblems.add("could not remove the leftovers of abandoned uploads: " + e.getMessage());
            }
        }
        // Orphans: objects in Reclaim's namespace no record and no queue entry names; unmanaged: any other such object.
        List<String> orphans = new ArrayList<>();
        long[] orphanCount = {0};
        List<String> unmanaged = new ArrayList<>();
        long[] unmanagedCount = {0};
        long[] objects = {0};
        List<String> batch = new ArrayList<>(BATCH);
        Runnable flush = () -> {
            Set<String> known = records.knownKeys(batch);
            // Reclaim's only when in the folder of a task this store has or had: not of a task id it never made
            Set<String> ours = checks.knownTaskIds(batch.stream().filter(k -> !known.contains(k)).map(StorageKeys::taskIdOf)
                    .filter(Objects::nonNull).toList());
            Predicate<String> inOurFolder = k -> {
                String taskId = StorageKeys.taskIdOf(k);
                return taskId != null && ours.contains(taskId);
            };
            List<String> unknown = batch.stream().filter(k -> !known.contains(k) && inOurFolder.test(k)).toList();
            orphanCount[0] += unknown.size();
            for (String k : unknown) {
                if (orphans.size() < FsckReport.LISTED) {
                    orphans.add(k);
                }
            }
            for (String k : batch) {
                if (!known.contains(k) && !inOurFolder.test(k)) {
                    unmanagedCount[0]++;
                    if (unmanaged.size() < FsckReport.LISTED) {
                        unmanaged.add(k);
                    }
                }
            }
            if (repair && !unknown.isEmpty()) {
                checks.enqueueOrphans(unknown, clock.instant());
            }
            batch.clear();
        };
        try {
            artifacts.list("", o -> {
                objects[0]++;
                batch.add(o.key());
                if (batch.size() == BATCH) {
                    flush.run();
                }
            });
        } catch (StoreException | UncheckedIOException e) {
            // what was listed is still checked; the rest is unknown, never taken as "no objects"
            storeProblems.add("could not list every object (orphans beyond the " + objects[0] + " listed were not looked "
                    + "for): " + e.getMessage());
        }
        flush.run();
        // Dangling: LIVE records whose object the store says is absent. Objects that are there: their sizes (and
        // checksums). A record the store could not answer for is unchecked: an error proves nothing about the object.
        ContentCheck content = new ContentCheck(artifacts, verifyChecksums);
        List<String> dangling = new ArrayList<>();
        long danglingCount = 0;
        Unchecked unchecked = new Unchecked();
        long records = 0;
        String after = null;
        while (true) {
            List<Artifact> page = checks.liveArtifactsAfter(after, BATCH);
            if (page.isEmpty()) {
                break;
            }
            for (Artifact a : page) {
                records++;
                if (unchecked.givenUp()) {
                    unchecked.skip(a);
                    continue;
                }
                Optional<ObjectInfo> stored;
                Optional<String> inTheWay;
                try {
                    stored = artifacts.stat(a.storageKey());
                    stored.ifPresent(info -> content.check(a, info));
                    inTheWay = stored.isPresent() ? Optional.empty() : artifacts.obstacle(a.storageKey());
                } catch (StoreException | UncheckedIOException e) {
                    unchecked.failed(a, e);
                    continue;
                }
                unchecked.answered();
                if (inTheWay.isPresent()) {
                    // no object the store can read, but not nothing: the bytes may be behind it
                    unchecked.blocked(a, inTheWay.get());
                    continue;
                }
                if (stored.isEmpty()) {
                    danglingCount++;
                    if (dangling.size() < FsckReport.LISTED) {
                        dangling.add(a.id() + " (" + a.storageKey() + ")");
                    }
                    if (repair) {
                        checks.dropDanglingArtifact(a.id());
                    }
                }
            }
            after = page.get(page.size() - 1).id();
        }
        // Orphans go only now: the records were checked against the store as fsck found it, so a repair
        // never drops a record on an absence its own deletions made (a blocking orphan, say).
        if (repair && orphanCount[0] > 0) {
            deleter.purge(null, DeletionListener.NONE);
        }
        DetachedModelsFound detached = new DetachedModelCheck(checks, queue, deleter, clock).run(repair);
        List<String> stuck = queue.unfinishedDeletions(FsckReport.LISTED);
        StuckDeletions explained = new StuckDeletions(queue, ProcessIdentity.current());
        List<String> stuckWhy = explained.explain(stuck, clock.instant());
        List<String> stranded = explained.stranded(clock.instant());
        List<String> failing = new ArrayList<>();
        for (PendingDelete p : queue.pendingDeletes(FsckReport.LISTED)) {
            if (p.attempts() > 0) {
                failing.add(p.storageKey() + ": " + p.attempts() + " failed attempt(s), last: " + p.lastError());
            }
        }
        // Usage totals last: a repair above changed records, and the triggers changed the totals with them.
        if (repair && !usage.checkUsage(1).isEmpty()) {
            usage.repairUsage();
        }
        List<String> usageProblems = usage.checkUsage(FsckReport.LISTED);
        return new FsckReport(objects[0], records, orphans, orphanCount[0], dangling, danglingCount, stuck, failing, repair,
                unmanaged, unmanagedCount[0], detached, stuckWhy, resumed,
                content.findings(abandoned(storeProblems)), List.of(), unchecked.listed(), unchecked.count(), storeProblems,
                stranded, usageProblems);
    }

    private AbandonedWrites.Found abandoned(List<String> storeProblems) {
        try {
            return abandoned.find(FsckReport.LISTED);
        } catch (StoreException | UncheckedIOException e) {
            storeProblems.add("could not look for interrupted writes: " + e.getMessage());
            return new AbandonedWrites.Found(List.of(), 0, List.of(), 0, 0);
        }
    }
}
