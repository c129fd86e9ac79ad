package dev.reclaim.store;

/**
 * Metadata storage, as a backend implements it: every role port at once (tasks, jobs, artifacts,
 * the deletion queue, audit, fsck, roots, run history, tokens, workers, leases, planner statistics,
 * usage, holds, retention queries, jobs on cluster managers).
 * Services receive only the ports they use; see docs/architecture.md.
 *
 * <p>Every method that decides a deletion or a state change takes the condition it relies on
 * (an expected version, an expected worker) and checks it atomically in the store; callers never
 * read-then-write. Implementations are thread-safe. Backend exceptions are wrapped in
 * {@link dev.reclaim.StoreException}.
 */
public interface TaskStore extends TaskCatalog, JobQueue, ArtifactCatalog, DeletionQueue, AuditTrail, ConsistencyChecks,
        RootRegistry, RunHistory, TokenStore, WorkerRegistry, Leases, PlannerStatistics, StorageUsage, HoldStore, RetentionQueries,
        ExternalJobs, AutoCloseable {

    /** Releases connections and files. */
    @Override
    void close();
}
