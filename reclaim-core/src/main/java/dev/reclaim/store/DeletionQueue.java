package dev.reclaim.store;

import dev.reclaim.model.Task;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deletion protocol: marking, the pending-delete queue, finishing. One of the role ports of a
 * {@link TaskStore}; see docs/architecture.md.
 */
public interface DeletionQueue {

    /**
     * Step 2 of the deletion protocol, in one transaction: re-check the task's version, mark it
     * (or only its artifacts) as deleting, re-point children to {@link Task#DELETED_PARENT} (whole
     * task only), detach and keep output models that are published, used as input by another live
     * task, or not to be deleted (these are recorded as kept on request); mark every other artifact
     * (LIVE or PENDING) DELETING; for a whole task, also mark the models detached from earlier
     * deleted tasks that it was the last live user of, unless published or kept on request (they
     * become its artifacts, so they finish with it); queue every storage key of a marked artifact
     * that no LIVE artifact references.
     */
    MarkResult markForDeletion(DeletionMark mark);

    /**
     * {@link #markForDeletion} for many tasks in one transaction (each mark checked on its own:
     * one task that changed does not stop the others), with the results and the rows written that
     * marking them one after the other in the order given would have: a mark sees the marks
     * before it (a child whose parent came first has changed; a model whose only other user came
     * first is no longer kept for it; a key shared with an earlier mark is queued by the later).
     *
     * @return one result per mark, in order
     */
    List<MarkResult> markAllForDeletion(List<DeletionMark> marks);

    /**
     * {@link #markAllForDeletion}, fenced: in the same transaction, before anything is written, the
     * store checks that {@code fence}'s holder still holds its lease and that the lease has not run
     * out at the fence's time. A lease taken over meanwhile waits for this transaction (or this one
     * for it), so no mark is made after another process took the lease.
     *
     * @throws LeaseLostException when the fence fails; nothing is marked
     */
    List<MarkResult> markAllForDeletion(List<DeletionMark> marks, LeaseFence fence);

    /**
     * What {@link #markAllForDeletion} of {@code marks} would do now if the marks previewed before
     * them ({@code earlier}) had been made, without doing either: the same checks, results, keys and
     * bytes, in one transaction that is rolled back (the store's writer and row locks are held for
     * this page only). A dry run previews its pages one after the other, passing each the
     * {@link DeletionPreview#simulated()} of the one before, so its list, objects and bytes equal
     * what the run then does: a model a candidate keeps for a later one, a key two candidates share,
     * are counted where the run counts them, also across pages.
     *
     * @param earlier what the dry run's earlier pages did; {@link SimulatedDeletions#NONE} for its first
     */
    DeletionPreview previewAllDeletions(List<DeletionMark> marks, SimulatedDeletions earlier);

    /**
     * Claims up to {@code limit} due queue entries (next attempt at or before {@code now}) for
     * purging until {@code claimUntil}, so concurrent purgers do not collide. Entries whose key a
     * LIVE artifact references again are dropped from the queue and never returned. Fewer than
     * {@code limit} come back only when no other entry can be claimed now, so a purger need not
     * ask again. The whole queue is claimed oldest due first; with {@code taskIds}, task by task.
     *
     * @param taskIds only entries queued for these tasks; null for every entry
     */
    default List<PendingDelete> claimPendingDeletes(Collection<String> taskIds, int limit, Instant now, Instant claimUntil) {
        return claimPendingDeletes(taskIds, limit, now, claimUntil, null);
    }

    /**
     * {@link #claimPendingDeletes(Collection, int, Instant, Instant)}, recording who claims them, so
     * that fsck can say who holds a stuck deletion and another process can take the claims over at
     * once when that process is known to be gone ({@link #releaseQueueClaims}).
     *
     * @param claimant the claiming process; null to record none
     */
    List<PendingDelete> claimPendingDeletes(Collection<String> taskIds, int limit, Instant now, Instant claimUntil,
                                            ProcessIdentity claimant);

    /**
     * The claims on open queue entries that have not run out at {@code now}: per task and claimant,
     * how many entries and until when.
     *
     * @param taskIds only claims on entries of these tasks; null for the whole queue
     */
    List<QueueClaim> queueClaims(Collection<String> taskIds, Instant now);

    /**
     * How many open queue entries of no task (orphans a repair queued, objects a person named) were
     * queued before {@code queuedBefore}, never failed, and are claimed by nobody at {@code now}
     * (never, or their claim ran out): left by a process that died between queueing and purging them.
     */
    long unattendedDeletions(Instant now, Instant queuedBefore);

    /**
     * Ends the claims of one claimant (as stored, {@link QueueClaim#claimedBy}) that have not run
     * out at {@code now}, so its entries can be claimed at once: for a claimant known to be gone.
     *
     * @return how many entries were freed
     */
    int releaseQueueClaims(String claimedBy, Instant now);

    /**
     * The objects the whole-task entries of these tasks stand for ({@link PendingDelete#wholeTask};
     * ask only for tasks with such an entry): per task, the storage key and recorded size of each of its DELETING artifacts that no LIVE
     * artifact references, re-checked here, at the moment of deletion. A task without such
     * artifacts is left out.
     */
    Map<String, Map<String, Long>> objectsOfWholeTaskEntries(Collection<String> taskIds);

    /**
     * Records an attempt at a claimed whole-task entry in which some objects could not be deleted,
     * in one transaction: the entry is completed, now standing for the objects that are gone, and
     * each failed object is queued on its own with one failed attempt, its error, and no retry
     * before {@code retryAt}. Nothing changes when the entry is no longer open.
     *
     * @param failed the objects that failed: storage key, size and error of each ({@code id} unused)
     */
    void splitWholeTaskEntry(PendingDelete entry, long goneObjects, long goneBytes, List<PendingDelete> failed,
                             Instant retryAt);

    /** Records that these entries' objects are gone (deleted now, or already absent). */
    void completePendingDeletes(Collection<Long> entryIds);

    /**
     * Records, for claimed entries some of whose objects were already absent when deleted, how many
     * existed and their bytes, so the deletion's report and audit record count only those. Entries
     * no longer open are left as they are.
     */
    void recordDeletedObjects(Collection<DeletedObjects> counts);

    /** Records a failed attempt: increments attempts, stores the error, retries no earlier than {@code retryAt}. */
    void failPendingDelete(long entryId, String error, Instant retryAt);

    /** Queue entries not yet completed, failed ones included (for reports and fsck). */
    List<PendingDelete> pendingDeletes(int limit);

    /**
     * Step 4, in one transaction: if no queue entry of the task is still open, removes its DELETING
     * artifact records and its completed queue entries, and if the whole task was marked, the task
     * record with its tags, inputs and console output; then appends an audit record with the actor
     * and reason given at mark time and the objects and bytes counted from its completed entries.
     *
     * @return empty when entries are still open or no deletion is in progress for the task
     */
    Optional<FinishResult> finishDeletion(String taskId, Instant at);

    /**
     * {@link #finishDeletion} for many tasks in one transaction.
     *
     * @return the results of the tasks that finished (those with open entries are left as they are)
     */
    default List<FinishResult> finishDeletions(Collection<String> taskIds, Instant at) {
        return finishDeletions(taskIds, List.of(), at);
    }

    /**
     * {@link #completePendingDeletes} of {@code deletedEntryIds}, then {@link #finishDeletions} of
     * {@code taskIds}, in one transaction: the same outcome with less work, as the entries of a task
     * that finishes here are removed at once instead of first being recorded as done. Entries of
     * tasks that do not finish (others of theirs are still open) are recorded as done.
     *
     * @param deletedEntryIds entries whose objects are gone; they may belong to any task
     * @return the results of the tasks that finished
     */
    List<FinishResult> finishDeletions(Collection<String> taskIds, Collection<Long> deletedEntryIds, Instant at);

    /** Ids of tasks with a deletion in progress: task marked, or artifacts DELETING (for resume). */
    List<String> unfinishedDeletions(int limit);

    /**
     * Deletes a model detached from its deleted task, in one transaction: its record and every input
     * reference to it are removed, its storage key is queued for deletion (without a task) unless a
     * LIVE artifact references it, and an audit record ({@code delete-model}, the model's id in
     * place of a task id) is appended. Without {@code force} it is refused (nothing changes) when
     * the model is published, kept on request, or used as input by a live task; with force those
     * tasks lose the input (and get a new version).
     *
     * @return MARKED with the queued key and bytes; REFUSED with why and how to proceed; NOT_FOUND
     * when there is no such artifact or it is not a detached LIVE model (the reason says which)
     */
    MarkResult removeDetachedModel(String artifactId, boolean force, String actor, String reason, Instant at);
}
