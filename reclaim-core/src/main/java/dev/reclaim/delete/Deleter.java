package dev.reclaim.delete;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeletedObjects;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;
import dev.reclaim.store.ResumedDeletions;
import dev.reclaim.store.StorageKeys;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one deletion engine (docs/architecture.md, "Deletes: the protocol"). Every deletion — job cleanup, cancel,
 * auto-cleanup after results, catalog delete, the Cleanup Service — goes through here:
 * <ol>
 *   <li>mark: {@link DeletionQueue#markForDeletion} re-checks the task's version and writes the
 *       storage keys no live artifact references into the durable pending-delete queue, in one
 *       transaction (a batch may queue one whole-task entry for a task's objects instead, see
 *       {@link PendingDelete#wholeTask});</li>
 *   <li>purge: claimed queue entries are deleted from the artifact store in batches, with retries
 *       and back-off; an object already gone counts as gone, but only objects that existed are
 *       counted in reports and the audit trail: those deleted now, and those an entry claimed
 *       before finds absent (a purger deleted them and died before it could record so);</li>
 *   <li>finish: when a task's entries are done its artifact records (and record) are removed and
 *       an audit record is appended.</li>
 * </ol>
 * A crash at any point leaves marks and queue entries that {@link #resume} completes.
 */
public final class Deleter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deleter.class);
    private static final String STILL_QUEUED = "some objects of this task are still queued for deletion (waiting to be "
            + "retried after a failure, or being deleted by another process); the deletion finishes on the next run or resume";

    /**
     * Most completed entries a batched deletion holds back for its finishing transaction: bounds
     * the memory and the objects deleted again (absent by then) if the process dies first.
     */
    static final int MAX_DEFERRED = 50_000;

    /**
     * Storage batches that a batched deletion claims in one transaction and hands the store in one
     * call, which splits them by its own limits (S3: 1,000 keys a request, several at once; the
     * filesystem: folders in parallel). Calls of one batch each left delete threads idle at the
     * end of every call, and cost a page of 5,000 objects six claiming transactions instead of one.
     */
    static final int PAGE_BATCHES = 10;

    private final DeletionQueue queue;
    private final ArtifactStore artifacts;
    private final Clock clock;
    private final DeleterSettings settings;
    private final Sleeper sleeper;
    private final ExecutorService storageCalls;
    /** Recorded on every claim, so others can tell whether this process still holds it. */
    private final ProcessIdentity self = ProcessIdentity.current();

    /**
     * @param queue     the deletion queue (marks, the pending-delete queue, finishing)
     * @param artifacts object store
     * @param clock     time source for leases, retries and audit
     * @param settings  tuning
     * @param sleeper   waits between retries
     */
    public Deleter(DeletionQueue queue, ArtifactStore artifacts, Clock clock, DeleterSettings settings, Sleeper sleeper) {
        this.queue = queue;
        this.artifacts = artifacts;
        this.clock = clock;
        this.settings = settings;
        this.sleeper = sleeper;
        this.storageCalls = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "reclaim-storage-delete");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Deletes one task, or only its artifacts, as {@code mark} says: mark, purge its queue
     * entries, finish. When the mark's condition no longer holds nothing changes and the report
     * says why.
     */
    public DeletionReport delete(DeletionMark mark, DeletionListener listener) {
        MarkResult marked = queue.markForDeletion(mark);
        if (marked.outcome() != MarkResult.Outcome.MARKED) {
            return DeletionReport.notMarked(mark.taskId(), marked);
        }
        return complete(mark.taskId(), marked, listener);
    }

    /**
     * {@link #delete(DeletionMark, DeletionListener)}, with the mark fenced: it is made only while
     * {@code fence}'s holder still holds its lease (checked in the marking transaction).
     *
     * @throws dev.reclaim.store.LeaseLostException when it does not; nothing is marked
     */
    public DeletionReport delete(DeletionMark mark, LeaseFence fence, DeletionListener listener) {
        MarkResult marked = queue.markAllForDeletion(List.of(mark), fence).get(0);
        if (marked.outcome() != MarkResult.Outcome.MARKED) {
            return DeletionReport.notMarked(mark.taskId(), marked);
        }
        return complete(mark.taskId(), marked, listener);
    }

    /**
     * Deletes many tasks with the same protocol, batched: all marks in one transaction, their
     * objects purged together in storage batches, all finished in one transaction. Each task is
     * still checked on its own; one that changed is reported CHANGED and left alone.
     *
     * @return one report per mark, in order
     */
    public List<DeletionReport> deleteAll(List<DeletionMark> marks, DeletionListener listener) {
        return completeAll(marks, markAll(marks), listener);
    }

    /** Step 2 of {@link #deleteAll} alone: all marks in one transaction. */
    public List<MarkResult> markAll(List<DeletionMark> marks) {
        return queue.markAllForDeletion(marks);
    }

    /**
     * {@link #markAll}, fenced: the store makes the marks only while {@code fence}'s holder still
     * holds its lease (checked in the marking transaction).
     *
     * @throws dev.reclaim.store.LeaseLostException when it does not; nothing is marked
     */
    public List<MarkResult> markAll(List<DeletionMark> marks, LeaseFence fence) {
        return queue.markAllForDeletion(marks, fence);
    }

    /**
     * Steps 3 and 4 of {@link #deleteAll} for marks already made by {@link #markAll}; callers may
     * run this for one batch while marking the next, so storage and database work overlap.
     */
    public List<DeletionReport> completeAll(List<DeletionMark> marks, List<MarkResult> marked, DeletionListener listener) {
        List<String> ids = new ArrayList<>();
        Map<String, MarkResult> byId = new HashMap<>();
        for (int i = 0; i < marks.size(); i++) {
            if (marked.get(i).outcome() == MarkResult.Outcome.MARKED) {
                ids.add(marks.get(i).taskId());
                byId.put(marks.get(i).taskId(), marked.get(i));
            }
        }
        // the page's completed entries are recorded by the finishing transaction, which removes
        // those of finished tasks outright: one write per entry fewer than completing each batch
        List<Long> deleted = new ArrayList<>();
        PurgeSummary purged = ids.isEmpty() ? new PurgeSummary(0, 0, List.of())
                : purge(claimGroups(ids, byId, pageClaim()), listener, deleted);
        Map<String, FinishResult> finished = new HashMap<>();
        for (FinishResult f : queue.finishDeletions(ids, deleted, clock.instant())) {
            finished.put(f.taskId(), f);
            announce(f, listener);
            removeTempFiles(f);
        }
        List<DeletionReport> reports = new ArrayList<>(marks.size());
        for (int i = 0; i < marks.size(); i++) {
            String id = marks.get(i).taskId();
            MarkResult m = marked.get(i);
            if (m.outcome() != MarkResult.Outcome.MARKED) {
                reports.add(DeletionReport.notMarked(id, m));
                continue;
            }
            FinishResult f = finished.get(id);
            if (f == null) {
                String why = incompleteReason(purged);
                reports.add(new DeletionReport(id, DeletionReport.Outcome.INCOMPLETE, why, 0, 0, m.updatedChildren(),
                        m.keptModelIds(), m.deletedModels(), m.queuedKeys()));
            } else {
                reports.add(new DeletionReport(id, DeletionReport.Outcome.DELETED, null, f.objects(), f.bytes(),
                        m.updatedChildren(), m.keptModelIds(), m.deletedModels(), m.queuedKeys()));
            }
        }
        return reports;
    }

    /**
     * Deletes a model detached from its deleted task: removes its record and queues its object
     * ({@link DeletionQueue#removeDetachedModel}), then purges the queue. Without {@code force} a model
     * that is published, kept on request or used by a live task is refused.
     *
     * @return DELETED, or INCOMPLETE when its object could not be deleted yet (it stays queued);
     * REFUSED or NOT_FOUND with the reason; the report's task id is the model's id
     */
    public DeletionReport deleteDetachedModel(String artifactId, boolean force, String actor, String reason,
                                              DeletionListener listener) {
        MarkResult marked = queue.removeDetachedModel(artifactId, force, actor, reason, clock.instant());
        if (marked.outcome() != MarkResult.Outcome.MARKED) {
            return DeletionReport.notMarked(artifactId, marked);
        }
        // its entry has no task to select it by; the whole queue is purged, as resume does
        PurgeSummary purged = purge(null, listener);
        List<String> failed = purged.failures().stream()
                .filter(f -> marked.queuedKeys().stream().anyMatch(k -> f.startsWith(k + ": "))).toList();
        if (!failed.isEmpty()) {
            return new DeletionReport(artifactId, DeletionReport.Outcome.INCOMPLETE, "its object could not be deleted yet ("
                    + failed.get(0) + "); it stays queued and is retried on the next run", 0, 0, 0, List.of(), 1,
                    marked.queuedKeys());
        }
        listener.recordDeleted("model " + artifactId);
        return new DeletionReport(artifactId, DeletionReport.Outcome.DELETED, null, marked.queuedKeys().size(),
                marked.queuedBytes(), 0, List.of(), 1, marked.queuedKeys());
    }

    /**
     * Completes a deletion that was already marked (after a crash, or a failed purge): purges the
     * task's queue entries and finishes it.
     */
    public DeletionReport resumeTask(String taskId, DeletionListener listener) {
        takeOverClaimsOfDeadProcesses(List.of(taskId));
        return complete(taskId, null, listener);
    }

    /**
     * Frees the claims on queue entries (of these tasks; null: of the whole queue) held by processes
     * of this host that are known to be gone, so they are purged now rather than when the claims run
     * out. A claim whose holder cannot be judged (another host, or it did not say) is left to run out.
     *
     * @return how many entries were freed
     */
    public int takeOverClaimsOfDeadProcesses(Collection<String> taskIds) {
        Instant now = clock.instant();
        Map<String, ProcessIdentity> holders = new HashMap<>();
        for (QueueClaim c : queue.queueClaims(taskIds, now)) {
            c.holder().ifPresent(h -> holders.put(c.claimedBy(), h));
        }
        int freed = 0;
        for (Map.Entry<String, ProcessIdentity> h : holders.entrySet()) {
            if (self.judge(h.getValue()) == ProcessIdentity.Liveness.DEAD) {
                int n = queue.releaseQueueClaims(h.getKey(), now);
                freed += n;
                LOG.info("took over {} queue entr(ies) claimed by {}, which is gone", n, h.getValue().describe());
            }
        }
        return freed;
    }

    private DeletionReport complete(String taskId, MarkResult marked, DeletionListener listener) {
        PurgeSummary purged = purge(List.of(taskId), listener);
        Optional<FinishResult> finished = queue.finishDeletion(taskId, clock.instant());
        int children = marked == null ? 0 : marked.updatedChildren();
        List<String> kept = marked == null ? List.of() : marked.keptModelIds();
        int deletedModels = marked == null ? 0 : marked.deletedModels();
        List<String> keys = marked == null ? List.of() : marked.queuedKeys();
        if (finished.isEmpty()) {
            String why = incompleteReason(purged);
            return new DeletionReport(taskId, DeletionReport.Outcome.INCOMPLETE, why, purged.objects(), purged.bytes(),
                    children, kept, deletedModels, keys);
        }
        FinishResult f = finished.get();
        announce(f, listener);
        removeTempFiles(f);
        return new DeletionReport(taskId, DeletionReport.Outcome.DELETED, null, f.objects(), f.bytes(), children, kept,
                deletedModels, keys);
    }

    /**
     * Removes what interrupted writes left in a deleted task's folder (temp files of adds killed
     * mid-copy), at once rather than after the grace period: the task id is never used again, so
     * no write there can still matter; an add still copying into it fails, as it would at its
     * activation. After the finish, so a crash in between leaves them to fsck and the Cleanup
     * Service, as before. Only a task's own folder is looked at: the purge has just pruned it, so
     * a task without leftovers costs one failed folder lookup.
     */
    private void removeTempFiles(FinishResult f) {
        if (!f.taskDeleted()) {
            return; // an artifacts-only deletion: the task lives, and its adds may be copying now
        }
        try {
            artifacts.removeInterruptedWrites(StorageKeys.TASKS_FOLDER + "/" + f.taskId() + "/", Instant.MAX, t -> { });
        } catch (RuntimeException e) {
            LOG.warn("task {} was deleted, but temp files of interrupted writes in its folder could not be removed ({}); "
                    + "fsck --repair and the Cleanup Service remove them after the grace period", f.taskId(), e.getMessage());
        }
    }

    /** Tells the listener which records a finished deletion removed. */
    private static void announce(FinishResult f, DeletionListener listener) {
        listener.recordDeleted((f.taskDeleted() ? "task " + f.taskId() + " and " : "") + f.artifacts()
                + " artifact record(s)" + (f.taskDeleted() ? "" : " of task " + f.taskId()));
    }

    /** Why a marked deletion did not finish in this call, with the way it completes. */
    private static String incompleteReason(PurgeSummary purged) {
        return purged.failures().isEmpty()
                ? STILL_QUEUED
                : purged.failures().size() + " object(s) could not be deleted yet (first: " + purged.failures().get(0)
                + "); they stay queued and are retried on the next run";
    }

    /**
     * Purges due queue entries: deletes their objects in batches, retrying failures with
     * exponential back-off up to {@link DeleterSettings#maxAttempts()} times in this call.
     * Objects that still fail stay queued with their reason, for a later run.
     *
     * @param taskIds only entries of these tasks; null for the whole queue
     */
    public PurgeSummary purge(Collection<String> taskIds, DeletionListener listener) {
        return purge(Collections.singletonList(taskIds), listener, null);
    }

    /**
     * The marked tasks in groups whose queued entries number fewer than {@code claim} (a task with
     * more is a group of its own): each group's entries come back in one claim, which then reads
     * only that group's entries, and a claim short of its limit means there is nothing more to ask
     * for. Claiming many tasks' entries a little at a time would walk those claimed before on each
     * claim.
     */
    private List<Collection<String>> claimGroups(List<String> ids, Map<String, MarkResult> marked, int claim) {
        List<Collection<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        int entries = 0;
        for (String id : ids) {
            int queued = marked.get(id).queuedKeys().size();
            if (!group.isEmpty() && entries + queued >= claim) {
                groups.add(group);
                group = new ArrayList<>();
                entries = 0;
            }
            group.add(id);
            entries += queued;
        }
        groups.add(group);
        return groups;
    }

    /**
     * @param groups   the tasks whose entries to purge, group after group (a null group: every entry)
     * @param deferred where to collect the ids of entries whose objects are gone instead of
     *                 completing them batch by batch, for the caller to complete (null: complete each
     *                 batch); past {@link #MAX_DEFERRED} entries they are completed here after all
     */
    private PurgeSummary purge(List<Collection<String>> groups, DeletionListener listener, List<Long> deferred) {
        int claim = deferred == null ? settings.batchSize() : pageClaim();
        long objects = 0;
        long bytes = 0;
        Map<String, String> failed = new HashMap<>();
        Duration backoff = settings.initialBackoff();
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            boolean anyFailed = false;
            int group = 0;
            while (group < groups.size()) {
                Instant now = clock.instant();
                List<PendingDelete> batch = queue.claimPendingDeletes(groups.get(group), claim, now,
                        now.plus(settings.claimTimeout()), self);
                if (batch.size() < claim) {
                    group++; // nothing more of this group can be claimed now
                }
                if (batch.isEmpty()) {
                    continue;
                }
                Map<String, Map<String, Long>> wholeTasks = queue.objectsOfWholeTaskEntries(batch.stream()
                        .filter(PendingDelete::wholeTask).map(PendingDelete::taskId).toList());
                List<String> keys = new ArrayList<>();
                for (PendingDelete p : batch) {
                    if (p.wholeTask()) {
                        keys.addAll(wholeTasks.getOrDefault(p.taskId(), Map.of()).keySet());
                    } else {
                        keys.add(p.storageKey());
                    }
                }
                Map<String, DeleteOutcome> byKey = new HashMap<>();
                deleteObjects(keys).forEach(o -> byKey.put(o.key(), o));
                List<Long> done = new ArrayList<>();
                List<DeletedObjects> partlyAbsent = new ArrayList<>();
                Instant retryAt = clock.instant().plus(backoff);
                for (PendingDelete p : batch) {
                    Map<String, Long> sizes = p.wholeTask() ? wholeTasks.getOrDefault(p.taskId(), Map.of())
                            : Map.of(p.storageKey(), p.sizeBytes());
                    List<PendingDelete> failures = new ArrayList<>();
                    // only objects that existed count: one absent at the first claim freed nothing
                    long existed = 0;
                    long existedBytes = 0;
                    boolean anyAbsent = false;
                    for (Map.Entry<String, Long> object : sizes.entrySet()) {
                        DeleteOutcome o = byKey.get(object.getKey());
                        // absent on an entry claimed before: a purger that died after deleting it freed it
                        if (o != null && (o.status() == DeleteOutcome.Status.DELETED || o.gone() && p.claimedBefore())) {
                            existed++;
                            existedBytes += object.getValue();
                            failed.remove(object.getKey());
                            listener.objectDeleted(object.getKey(), object.getValue());
                        } else if (o != null && o.gone()) {
                            anyAbsent = true;
                            failed.remove(object.getKey());
                            listener.objectAbsent(object.getKey());
                        } else {
                            String why = o == null ? "the store returned no outcome for this key" : o.error();
                            failures.add(new PendingDelete(0, object.getKey(), p.taskId(), object.getValue(), 1, why));
                            failed.put(object.getKey(), object.getKey() + ": " + why);
                        }
                    }
                    objects += existed;
                    bytes += existedBytes;
                    if (failures.isEmpty()) {
                        if (anyAbsent) {
                            partlyAbsent.add(new DeletedObjects(p.id(), existed, existedBytes));
                        }
                        done.add(p.id());
                    } else if (p.wholeTask()) {
                        // the objects that failed are retried each on its own entry, with back-off
                        queue.splitWholeTaskEntry(p, existed, existedBytes, failures, retryAt);
                        anyFailed = true;
                    } else {
                        queue.failPendingDelete(p.id(), failures.get(0).lastError(), retryAt);
                        anyFailed = true;
                    }
                }
                // rare (uploads that never finished, objects an earlier attempt removed): one more
                // write, before the entries are recorded as done, so finishing counts what existed
                queue.recordDeletedObjects(partlyAbsent);
                if (deferred != null && deferred.size() + done.size() <= MAX_DEFERRED) {
                    deferred.addAll(done);
                } else if (!done.isEmpty()) {
                    queue.completePendingDeletes(done);
                }
            }
            if (!anyFailed || attempt == settings.maxAttempts()) {
                break;
            }
            try {
                sleeper.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            backoff = backoff.multipliedBy(2);
        }
        if (!failed.isEmpty()) {
            LOG.warn("{} object(s) could not be deleted and stay queued; first: {}", failed.size(),
                    failed.values().iterator().next());
        }
        return new PurgeSummary(objects, bytes, new ArrayList<>(failed.values()));
    }

    /** Entries a batched deletion claims and deletes at once: {@link #PAGE_BATCHES} storage batches. */
    private int pageClaim() {
        return settings.batchSize() * PAGE_BATCHES;
    }

    /** Deletes a batch from storage with a time limit, so a hanging store fails the batch instead of the run. */
    private List<DeleteOutcome> deleteObjects(List<String> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        Future<List<DeleteOutcome>> call = storageCalls.submit(() -> artifacts.deleteBatch(keys));
        try {
            return call.get(settings.storageTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return failAll(keys, "storage did not answer within " + settings.storageTimeout());
        } catch (ExecutionException e) {
            return failAll(keys, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return failAll(keys, "interrupted");
        }
    }

    private static List<DeleteOutcome> failAll(List<String> keys, String why) {
        return keys.stream().map(k -> new DeleteOutcome(k, DeleteOutcome.Status.FAILED, why)).toList();
    }

    /**
     * Completes every unfinished deletion: takes over the claims of processes known to be gone,
     * purges the whole queue, then finishes every task with a deletion in progress. Safe to run at
     * any time, from any number of processes.
     *
     * @return one report per task whose deletion was looked at
     */
    public List<DeletionReport> resume(DeletionListener listener) {
        takeOverClaimsOfDeadProcesses(null);
        purge(null, listener);
        List<DeletionReport> reports = new ArrayList<>();
        List<String> open = queue.unfinishedDeletions(10_000);
        for (String taskId : open) {
            reports.add(complete(taskId, null, listener));
        }
        return reports;
    }

    /**
     * {@link #resume}, summed up: the deletions it finished, and the objects and bytes they freed.
     */
    public ResumedDeletions resumeAll(DeletionListener listener) {
        long tasks = 0;
        long objects = 0;
        long bytes = 0;
        for (DeletionReport r : resume(listener)) {
            if (r.outcome() == DeletionReport.Outcome.DELETED) {
                tasks++;
                objects += r.objects();
                bytes += r.bytes();
            }
        }
        return new ResumedDeletions(tasks, objects, bytes);
    }

    @Override
    public void close() {
        storageCalls.shutdownNow();
    }
}
