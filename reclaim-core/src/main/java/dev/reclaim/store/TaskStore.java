package dev.reclaim.store;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Metadata storage: tasks, artifacts, input-model references, console output, workers, the
 * pending-delete queue, the audit trail and named leases.
 *
 * <p>Every method that decides a deletion or a state change takes the condition it relies on
 * (an expected version, an expected worker) and checks it atomically in the store; callers never
 * read-then-write. Implementations are thread-safe. Backend exceptions are wrapped in
 * {@link dev.reclaim.StoreException}.
 */
public interface TaskStore extends AutoCloseable {

    // ---- tasks -------------------------------------------------------------------------------

    /**
     * Inserts a new task (its tags, system tags and input-model references too) with version 0.
     *
     * @throws dev.reclaim.InvalidArgumentException if an input model id names no live MODEL artifact
     * @throws dev.reclaim.StoreException           if the id exists
     */
    void insertTask(Task task);

    /**
     * Inserts many new tasks in one transaction (imports, benchmarks): all or none.
     *
     * @throws dev.reclaim.InvalidArgumentException or {@link dev.reclaim.StoreException} as {@link #insertTask}
     */
    void insertTasks(Collection<Task> tasks);

    /** The task with this id, including one being deleted; empty if there is none. */
    Optional<Task> findTask(String id);

    /**
     * Replaces every mutable field of a live task (the id and createdAt stay) if its stored version
     * still equals {@code expectedVersion} and its deletion has not started.
     *
     * @return the stored task with its new version ({@code expectedVersion + 1}); empty when the
     * condition failed (changed, being deleted or gone)
     */
    Optional<Task> replaceTask(Task updated, long expectedVersion);

    /**
     * {@link #replaceTask} of a task whose new status is PUBLISHED, and in the same transaction the
     * published flag on each of its LIVE models: a crash never leaves a published task with an
     * unpublished model, which a forced delete of the task would then delete.
     *
     * @return as {@link #replaceTask}; when empty, no model changed either
     */
    Optional<Task> publishTask(Task published, long expectedVersion);

    /**
     * Runs a query: filters, ordering, and either offset or keyset paging.
     *
     * @throws dev.reclaim.InvalidArgumentException for a cursor that is malformed or was made for another ordering
     */
    Page<Task> query(TaskQuery query);

    /** Number of tasks matching the query's filters (paging ignored). */
    long count(TaskQuery query);

    // ---- jobs --------------------------------------------------------------------------------

    /**
     * Atomically claims the oldest QUEUED task (by id) on one of {@code queues}: sets it RUNNING,
     * records the worker, startedAt, statusChangedAt and the lease. Two workers never claim the same task.
     */
    Optional<Task> claimNext(Collection<String> queues, String workerId, Instant now, Instant leaseUntil);

    /**
     * Extends the lease of those of {@code taskIds} that are still RUNNING under {@code workerId}.
     *
     * @return the ids whose lease was extended; the others were canceled, deleted or taken over
     */
    Set<String> renewLeases(String workerId, Collection<String> taskIds, Instant leaseUntil);

    /**
     * Ends a job in one transaction, if it is still RUNNING under {@code workerId}: sets the final
     * status, endedAt, exit code and error, clears the lease, and moves the given PENDING artifacts
     * of the task to LIVE.
     *
     * @return false when the condition failed (canceled or taken over); nothing was changed
     */
    boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                      Collection<String> pendingArtifactIds, Instant now);

    /**
     * {@link #finishJob(String, String, TaskStatus, Integer, String, Collection, Instant)}, recording
     * for each PENDING artifact made LIVE what was stored: its size and checksum.
     *
     * @param stored the PENDING artifacts to make LIVE, by id
     */
    boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                      Map<String, StoredObject> stored, Instant now);

    /**
     * Appends a chunk of console output to a task.
     *
     * @throws dev.reclaim.TaskNotFoundException when the task does not exist (any more): a job whose
     *                                           task was deleted while it ran learns it here
     */
    void appendConsole(String taskId, String text);

    /** All console output chunks of a task, concatenated in order; empty string if none. */
    String readConsole(String taskId);

    // ---- artifacts ---------------------------------------------------------------------------

    /**
     * Registers artifacts. Refused (nothing inserted) when a task is missing or being deleted, when
     * a storage key is in the pending-delete queue (it would be deleted under a live reference), or
     * when a PENDING artifact's storage key is one another LIVE or PENDING artifact has (or another
     * of the same call): a PENDING artifact announces bytes about to be written to its key, and no
     * write may replace bytes a record describes (docs/rules.md invariant 6). A LIVE artifact is a
     * reference to an object that is already stored, so it may share a key deliberately.
     *
     * @throws dev.reclaim.InvalidArgumentException saying which artifact was refused and why
     */
    void insertArtifacts(Collection<Artifact> artifacts);

    /** What became of an added artifact's activation ({@link #activateAdded}). */
    enum Activation {
        /** LIVE now, with what was stored. */
        ACTIVATED,
        /** The task is missing or being deleted, or the artifact is no longer PENDING; nothing changed. */
        NOT_PENDING,
        /** Another LIVE artifact of the task took the kind and name meanwhile; nothing changed. */
        NAME_TAKEN
    }

    /**
     * Records what was stored for a PENDING artifact added under a name (its size and checksum) and
     * moves it to LIVE, in one transaction: the last step of the write protocol for artifacts
     * attached outside a job. The task must be live, and the name still free: two adds of one name
     * that both passed their first look cannot both be kept, so it is judged here, after the task's
     * row is locked. When the task is PUBLISHED at that moment, its models are published in the same
     * transaction.
     *
     * @param replacing the LIVE artifacts of that name the add supersedes (they may still be LIVE)
     */
    Activation activateAdded(String taskId, String artifactId, StoredObject stored, Collection<String> replacing);

    /**
     * PENDING artifacts registered before {@code createdBefore}, oldest first: uploads that never
     * finished when that is long enough ago (their writer died), for fsck and the Cleanup Service.
     */
    List<Artifact> pendingArtifactsBefore(Instant createdBefore, int limit);

    /**
     * Removes a PENDING artifact record whose bytes were never stored under its key (the put failed
     * or was refused), without touching the key: whatever is stored there is not this record's.
     *
     * @return false if there was no such PENDING record
     */
    boolean dropPendingArtifact(String artifactId);

    /** Ids of the live tasks (other than the artifact's own) that use this artifact as an input model. */
    List<String> liveTasksUsingInput(String artifactId);

    /** Every artifact of a task, in every state, ordered by id. */
    List<Artifact> artifactsOf(String taskId);

    /**
     * One page of a task's LIVE artifacts, ordered by id: at most {@code limit} of them with an id
     * after {@code afterId} (null for the first page). The default reads all of the task's
     * artifacts; a database store reads only the page.
     */
    default List<Artifact> liveArtifactsOf(String taskId, String afterId, int limit) {
        return artifactsOf(taskId).stream().filter(a -> a.state() == dev.reclaim.model.ArtifactState.LIVE)
                .filter(a -> afterId == null || a.id().compareTo(afterId) > 0).limit(limit).toList();
    }

    /** The artifact with this id; empty if none. */
    Optional<Artifact> findArtifact(String artifactId);

    /**
     * Bytes of the LIVE artifacts of each task, for a page of tasks at once (the web UI's sizes
     * column). Tasks without live artifacts map to 0. The default reads each task's artifacts;
     * a database store answers with one grouped query per chunk of ids instead.
     */
    default java.util.Map<String, Long> liveBytesOf(Collection<String> taskIds) {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String id : taskIds) {
            out.put(id, artifactsOf(id).stream().filter(a -> a.state() == dev.reclaim.model.ArtifactState.LIVE)
                    .mapToLong(Artifact::sizeBytes).sum());
        }
        return out;
    }

    /**
     * Sets a LIVE artifact's published flag.
     *
     * @return false if there is no such live artifact
     */
    boolean setArtifactPublished(String artifactId, boolean published);

    /** True when at least one LIVE artifact references the key. */
    boolean isReferencedByLiveArtifact(String storageKey);

    // ---- deletion protocol -------------------------------------------------------------------

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

    /** The newest audit records first. */
    List<AuditRecord> audit(int limit);

    // ---- consistency checks (fsck) ---------------------------------------------------------------

    /** The keys among {@code keys} named by an artifact record in any state or by an open queue entry. */
    Set<String> knownKeys(Collection<String> keys);

    /**
     * The ids among {@code taskIds} of tasks this store has, or had: a task record, or an audit
     * record of a finished deletion (kept for good). fsck deletes an object in a task's folder
     * without a record only when this store knew the task, so a folder it never wrote (another
     * store's, one left from before a database restore) is not taken for its own.
     */
    Set<String> knownTaskIds(Collection<String> taskIds);

    /** LIVE artifacts with an id greater than {@code afterId} (null: from the start), by id, at most {@code limit}. */
    List<Artifact> liveArtifactsAfter(String afterId, int limit);

    /**
     * Queues objects no record names (orphans) for deletion; a key an artifact record names is skipped.
     *
     * @return how many were queued
     */
    int enqueueOrphans(Collection<String> keys, Instant at);

    /**
     * Models detached from their deleted task (task id null, LIVE) that no live task uses as input,
     * with an id greater than {@code afterId} (null: from the start), by id, at most {@code limit}.
     * Published ones and ones kept on request are included: {@link DetachedModel#keptByDesign()}
     * tells them apart.
     */
    List<DetachedModel> unusedDetachedModels(String afterId, int limit);

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

    /**
     * Removes a LIVE artifact record whose object is missing (and input references to it).
     *
     * @return false if there was no such LIVE record
     */
    boolean dropDanglingArtifact(String artifactId);

    // ---- identity and artifact roots -------------------------------------------------------------

    /**
     * This task store's id: made once, when its schema is created, and the same for every process
     * that opens it (a copy of the database is the same store). The artifact root's marker names it.
     */
    String storeId();

    /** The artifact root bound under {@code name} ({@link RootBinding#DEFAULT_NAME} today), if any. */
    Optional<RootBinding> artifactRoot(String name);

    /**
     * Binds {@code binding.name()} to its root unless a root is already bound under that name.
     *
     * @return the binding in place afterwards: the given one, or the one another process bound first
     */
    RootBinding bindArtifactRoot(RootBinding binding);

    /**
     * Binds {@code binding.name()} to its root, replacing any binding under that name. Only for a
     * person who explicitly adopts a root ({@link ArtifactRoots#adopt}).
     */
    void rebindArtifactRoot(RootBinding binding);

    // ---- cleanup run history ----------------------------------------------------------------

    /** Appends a Cleanup Service run report to the run history. */
    void insertCleanupRun(dev.reclaim.cleanup.CleanupRun run);

    /** The newest run reports first. */
    List<dev.reclaim.cleanup.CleanupRun> cleanupRuns(int limit);

    /**
     * The run reports that follow run {@code afterRunId} in newest-first order, at most {@code limit}
     * (a page of the history; null starts from the newest); none when no run has that id. The default
     * reads the history from its start; a database store reads only the page.
     */
    default List<dev.reclaim.cleanup.CleanupRun> cleanupRuns(String afterRunId, int limit) {
        if (afterRunId == null) {
            return cleanupRuns(limit);
        }
        List<dev.reclaim.cleanup.CleanupRun> all = cleanupRuns(Integer.MAX_VALUE);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).id().equals(afterRunId)) {
                return all.subList(i + 1, Math.min(all.size(), i + 1 + limit));
            }
        }
        return List.of();
    }

    // ---- API tokens (HTTP server) --------------------------------------------------------------

    /**
     * Stores a new API token.
     *
     * @throws dev.reclaim.InvalidArgumentException when a token that is not revoked already has this name
     */
    void insertApiToken(ApiToken token);

    /** The token with this id, revoked or not; empty if there is none. */
    Optional<ApiToken> findApiToken(String id);

    /** Every token, revoked ones included, oldest first. */
    List<ApiToken> apiTokens();

    /** True when at least one token is not revoked (the server's open-access check; cheap). */
    boolean hasActiveApiTokens();

    /**
     * Records a use of a token.
     *
     * @return false if there is no such token
     */
    boolean touchApiToken(String id, Instant usedAt);

    /**
     * Revokes a token; revoking a revoked token changes nothing.
     *
     * @return false if there is no such token
     */
    boolean revokeApiToken(String id);

    // ---- workers and leases ------------------------------------------------------------------

    /** Inserts or updates a worker's registration and heartbeat. */
    void heartbeat(WorkerInfo worker);

    /** Removes a worker's registration (on clean shutdown). */
    void removeWorker(String workerId);

    /** Every registered worker, live or not. */
    List<WorkerInfo> workers();

    /**
     * Takes or renews a named lease if it is free, expired, or already held by {@code holder}.
     *
     * @return true when {@code holder} now holds it until {@code until}
     */
    default boolean tryAcquireLease(String name, String holder, Instant now, Instant until) {
        return tryAcquireLease(name, holder, null, now, until);
    }

    /**
     * {@link #tryAcquireLease(String, String, Instant, Instant)}, recording the holder's process, so
     * another process on the same host can take the lease over at once once that process is gone
     * ({@link #takeOverLease}).
     *
     * @param process the holder's process; null to record none
     */
    boolean tryAcquireLease(String name, String holder, ProcessIdentity process, Instant now, Instant until);

    /**
     * Takes over a named lease that has not run out, if {@code expectedHolder} still holds it: for a
     * holder whose process is known to be gone.
     *
     * @return true when {@code holder} now holds it until {@code until}
     */
    boolean takeOverLease(String name, String expectedHolder, String holder, ProcessIdentity process, Instant until);

    /**
     * Extends a named lease that {@code holder} holds and that has not run out at {@code now}.
     * Unlike {@link #tryAcquireLease} it never takes a lease back once it ran out: another process
     * may have held it meanwhile, so the holder must treat it as lost.
     *
     * @return true when {@code holder} now holds it until {@code until}; false when it was lost
     */
    boolean renewLease(String name, String holder, Instant now, Instant until);

    /** Releases a named lease if {@code holder} holds it. */
    void releaseLease(String name, String holder);

    /** The current holder of a lease and its expiry, if any holder is recorded. */
    Optional<LeaseInfo> lease(String name);

    /**
     * Refreshes the query planner's statistics (bounded in cost), so keyset pages over a large
     * catalog are read in index order instead of sorted. The Cleanup Service calls it after each
     * run, when the catalog has just changed most, and before a run only if {@link #hasStatistics}
     * is false.
     */
    void refreshStatistics();

    /**
     * Whether the query planner has statistics of the catalog at all: false for a store never
     * refreshed, unless its backend seeds a new store with figures of a large catalog (SQLite does).
     */
    boolean hasStatistics();

    /**
     * Damage the backend finds in its own storage (SQLite: {@code PRAGMA quick_check}), one line
     * per problem, at most 100; empty when it finds none or has no such check. Its cost grows
     * with the size of the database, so it runs without the query time limit; for fsck.
     */
    default List<String> integrityProblems() {
        return List.of();
    }

    /** Releases connections and files. */
    @Override
    void close();
}
