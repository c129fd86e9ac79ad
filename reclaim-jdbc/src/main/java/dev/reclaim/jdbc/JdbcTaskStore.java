package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskSummary;
import dev.reclaim.store.ApiToken;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.store.DeletedObjects;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DeletionPreview;
import dev.reclaim.store.DetachedModel;
import dev.reclaim.store.FinishResult;
import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.ExternalJobs.ExternalJob;
import dev.reclaim.store.HoldStore.Hold;
import dev.reclaim.store.RetentionQueries.RetainedArtifact;
import dev.reclaim.store.RetentionQueries.TaskScope;
import dev.reclaim.store.HoldStore.HoldChange;
import dev.reclaim.store.StorageUsage;
import dev.reclaim.store.SimulatedDeletions;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.WorkerInfo;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * {@link TaskStore} over plain JDBC, on SQLite ({@link #openSqlite}) or PostgreSQL
 * ({@link #openPostgres}). Database differences live in a small dialect; the schema is created
 * and upgraded by Flyway when the store opens, from the dialect's own migrations.
 *
 * <p>Instants are stored as epoch milliseconds: every instant the store returns is truncated to
 * the millisecond, and query time conditions compare at that precision.
 *
 * <p>Every method is one transaction. Writes that a deletion relies on are conditional updates
 * (version, state, holder) checked inside that transaction, never read-then-write by the caller.
 * Besides the caller's own writes, the store bumps a task's version when it claims or ends the
 * job, renews its lease, marks it (or its artifacts) for deletion, or re-points it to
 * {@link Task#DELETED_PARENT} because its parent was deleted.
 */
public final class JdbcTaskStore implements TaskStore {
    private final Connections db;
    private final Dialect dialect;
    private final TaskSql tasks;
    private final QuerySql queries;
    private final JobSql jobs;
    private final ArtifactSql artifacts;
    private final UsageSql usage;
    private final HoldSql holds;
    private final DeletionSql deletion;
    private final PreviewSql preview;
    private final DetachedModelSql detachedModels;
    private final PurgeSql purge;
    private final FinishSql finish;
    private final WorkerSql workers;
    private final FsckSql fsck;
    private volatile String storeId;

    JdbcTaskStore(Connections db, Dialect dialect) {
        this.db = Objects.requireNonNull(db, "db");
        this.dialect = dialect;
        this.tasks = new TaskSql(dialect);
        this.queries = new QuerySql(dialect);
        this.jobs = new JobSql(dialect, tasks);
        this.artifacts = new ArtifactSql(dialect);
        this.usage = new UsageSql(dialect);
        this.holds = new HoldSql(dialect);
        this.deletion = new DeletionSql(dialect);
        this.preview = new PreviewSql(deletion);
        this.detachedModels = new DetachedModelSql(dialect);
        this.purge = new PurgeSql(dialect);
        this.finish = new FinishSql(dialect);
        this.workers = new WorkerSql(dialect);
        this.fsck = new FsckSql(dialect);
    }

    /**
     * Opens the SQLite database in {@code dbFile}, creating the file and its parent folders if
     * needed, and migrates its schema. Several processes may open the same file at once (WAL
     * journal, a 30 s busy timeout, write transactions that take the write lock when they begin).
     *
     * @throws StoreException if the file cannot be created, opened or migrated
     */
    public static JdbcTaskStore openSqlite(Path dbFile) {
        return openSqlite(dbFile, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * As {@link #openSqlite(Path)}, with a time limit per unit of work: a query or write still
     * running after {@code queryTimeout} is stopped and fails with a
     * {@link dev.reclaim.QueryTimeoutException}, having changed nothing.
     *
     * @throws dev.reclaim.InvalidArgumentException if the limit is not positive
     * @throws dev.reclaim.StoreException           if the file cannot be created, opened or migrated
     */
    public static JdbcTaskStore openSqlite(Path dbFile, Duration queryTimeout) {
        Objects.requireNonNull(dbFile, "dbFile");
        Dialect dialect = new SqliteDialect();
        return new JdbcTaskStore(SqliteConnections.open(dbFile, dialect, queryTimeout), dialect);
    }

    /**
     * How long a statement may run unless told otherwise: far beyond what any page, count or
     * deletion step of a large catalog needs, short enough that a runaway query frees its
     * connection well before a client or proxy gives up on the answer.
     */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Opens an existing SQLite database for reading only: for a home the user can read but not
     * write. Nothing is created, locked or migrated; every write fails with a
     * {@link StoreException} saying the store is read-only.
     *
     * @throws dev.reclaim.StoreException if the file does not exist, cannot be read, or its schema
     *                                    needs a migration (which writes)
     */
    public static JdbcTaskStore openSqliteReadOnly(Path dbFile) {
        return openSqliteReadOnly(dbFile, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * {@link #openSqliteReadOnly(Path)} with a time limit other than {@link #DEFAULT_QUERY_TIMEOUT}
     * for each read.
     */
    public static JdbcTaskStore openSqliteReadOnly(Path dbFile, Duration queryTimeout) {
        Objects.requireNonNull(dbFile, "dbFile");
        Dialect dialect = new SqliteDialect();
        return new JdbcTaskStore(SqliteReadOnlyConnections.open(dbFile, dialect, queryTimeout), dialect);
    }

    /** Connections a PostgreSQL store keeps open at most, unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 10;

    /**
     * Opens a PostgreSQL database shared by any number of processes, with a pool of at most
     * {@link #DEFAULT_POOL_SIZE} connections, and migrates its schema. User and password may be
     * given in the URL, e.g. {@code jdbc:postgresql://db:5432/reclaim?user=reclaim&password=secret}.
     *
     * @param jdbcUrl a {@code jdbc:postgresql://} URL of an existing database
     * @throws dev.reclaim.InvalidArgumentException if the URL is not a PostgreSQL one
     * @throws dev.reclaim.StoreException           if the database cannot be reached or migrated
     * @see #openPostgres(String, String, String, int)
     */
    public static JdbcTaskStore openPostgres(String jdbcUrl) {
        return openPostgres(jdbcUrl, null, null, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens a PostgreSQL database shared by any number of processes and migrates its schema
     * (concurrent openers are serialized by Flyway). Job and queue claims never block on another
     * process's claim ({@code FOR UPDATE SKIP LOCKED}); every compare-and-set holds under READ
     * COMMITTED; transactions that lose a deadlock or serialization conflict are run again.
     *
     * @param jdbcUrl  a {@code jdbc:postgresql://} URL of an existing database
     * @param user     user name, or null to take it from the URL or the driver's default
     * @param password password, or null for none or the one in the URL
     * @param poolSize most connections kept open by this store (at least 1); each thread of this
     *                 process that uses the store at the same moment needs one
     * @throws dev.reclaim.InvalidArgumentException if the URL is not a PostgreSQL one or the pool size is below 1
     * @throws dev.reclaim.StoreException           if the database cannot be reached or migrated
     */
    public static JdbcTaskStore openPostgres(String jdbcUrl, String user, String password, int poolSize) {
        return openPostgres(jdbcUrl, user, password, poolSize, DEFAULT_QUERY_TIMEOUT);
    }

    /**
     * As {@link #openPostgres(String, String, String, int)}, with a time limit per statement
     * ({@code statement_timeout}): a statement still running after {@code queryTimeout} is stopped
     * by the server and fails with a {@link dev.reclaim.QueryTimeoutException}; its transaction is
     * rolled back.
     *
     * @throws dev.reclaim.InvalidArgumentException if the URL is not a PostgreSQL one, the pool size
     *                                              is below 1 or the limit is not positive
     * @throws dev.reclaim.StoreException           if the database cannot be reached or migrated
     */
    public static JdbcTaskStore openPostgres(String jdbcUrl, String user, String password, int poolSize,
                                             Duration queryTimeout) {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Dialect dialect = new PostgresDialect();
        return new JdbcTaskStore(PostgresConnections.open(jdbcUrl, user, password, poolSize, dialect, queryTimeout), dialect);
    }

    @Override
    public void insertTask(Task task) {
        Objects.requireNonNull(task, "task");
        db.write(c -> {
            tasks.insert(c, task);
            return null;
        });
    }

    @Override
    public void insertTasks(Collection<Task> list) {
        if (list.isEmpty()) {
            return;
        }
        List<Task> all = List.copyOf(list);
        db.write(c -> {
            tasks.insertAll(c, all);
            return null;
        });
    }

    @Override
    public Map<String, String> importedTasks(Collection<String> importKeys) {
        return importKeys.isEmpty() ? Map.of() : db.read(c -> TaskSql.imported(c, importKeys));
    }

    @Override
    public Map<String, String> insertImportedTasks(Map<String, Task> byImportKey) {
        if (byImportKey.isEmpty()) {
            return Map.of();
        }
        Map<String, Task> copy = new LinkedHashMap<>(byImportKey);
        return db.write(c -> tasks.insertImported(c, copy));
    }

    @Override
    public Optional<Task> findTask(String id) {
        return db.read(c -> tasks.find(c, id));
    }

    @Override
    public Optional<Task> replaceTask(Task updated, long expectedVersion) {
        Objects.requireNonNull(updated, "updated");
        return db.write(c -> tasks.replace(c, updated, expectedVersion));
    }

    @Override
    public Optional<Task> publishTask(Task published, long expectedVersion) {
        Objects.requireNonNull(published, "published");
        if (published.status() != TaskStatus.PUBLISHED) {
            throw new IllegalArgumentException("publishTask needs a task whose status is PUBLISHED, not " + published.status());
        }
        return db.write(c -> {
            Optional<Task> stored = tasks.replace(c, published, expectedVersion);
            if (stored.isPresent()) {
                ArtifactSql.publishModelsOf(c, published.id());
            }
            return stored;
        });
    }

    @Override
    public Page<Task> query(TaskQuery query) {
        return db.read(c -> queries.query(c, query));
    }

    @Override
    public long count(TaskQuery query) {
        return db.read(c -> queries.count(c, query));
    }

    @Override
    public TaskSummary summarize(TaskQuery query) {
        return db.read(c -> queries.summarize(c, query));
    }

    @Override
    public Optional<Task> claimNext(Collection<String> queues, String workerId, Instant now, Instant leaseUntil) {
        return db.write(c -> jobs.claim(c, queues, workerId, now, leaseUntil));
    }

    @Override
    public List<Task> claimBatch(Collection<String> queues, String workerId, Instant now, Instant leaseUntil, int max) {
        return max < 1 || queues.isEmpty() ? List.of() : db.write(c -> jobs.claim(c, queues, workerId, now, leaseUntil, max));
    }

    @Override
    public Set<String> renewLeases(String workerId, Collection<String> taskIds, Instant leaseUntil) {
        return db.write(c -> jobs.renew(c, workerId, taskIds, leaseUntil));
    }

    @Override
    public boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                             Collection<String> pendingArtifactIds, Instant now) {
        return db.write(c -> jobs.finish(c, taskId, workerId, finalStatus, exitCode, error, pendingArtifactIds, now));
    }

    /**
     * {@inheritDoc}
     *
     * @throws dev.reclaim.TaskNotFoundException if there is no such task
     */
    @Override
    public void appendConsole(String taskId, String text) {
        db.write(c -> {
            jobs.appendConsole(c, taskId, text);
            return null;
        });
    }

    @Override
    public String readConsole(String taskId) {
        return db.read(c -> JobSql.readConsole(c, taskId));
    }

    @Override
    public void insertArtifacts(Collection<Artifact> list) {
        if (list.isEmpty()) {
            return;
        }
        db.write(c -> {
            artifacts.insert(c, list);
            return null;
        });
    }

    @Override
    public List<Artifact> artifactsOf(String taskId) {
        return db.read(c -> ArtifactSql.ofTask(c, taskId));
    }

    @Override
    public List<Artifact> liveArtifactsOf(String taskId, String afterId, int limit) {
        return db.read(c -> ArtifactSql.liveOfTask(c, taskId, afterId, limit));
    }

    @Override
    public Optional<Artifact> findArtifact(String artifactId) {
        return db.read(c -> ArtifactSql.find(c, artifactId));
    }

    @Override
    public Map<String, Long> liveBytesOf(Collection<String> taskIds) {
        return db.read(c -> ArtifactSql.liveBytes(c, taskIds));
    }

    @Override
    public boolean setArtifactPublished(String artifactId, boolean published) {
        return db.write(c -> ArtifactSql.setPublished(c, artifactId, published));
    }

    @Override
    public List<MarkResult> markAllForDeletion(List<DeletionMark> marks) {
        if (marks.isEmpty()) {
            return List.of();
        }
        return db.write(c -> deletion.markAll(c, marks));
    }

    @Override
    public List<MarkResult> markAllForDeletion(List<DeletionMark> marks, LeaseFence fence) {
        Objects.requireNonNull(fence, "fence");
        return db.write(c -> {
            workers.checkFence(c, fence);
            return marks.isEmpty() ? List.<MarkResult>of() : deletion.markAll(c, marks);
        });
    }

    @Override
    public List<FinishResult> finishDeletions(Collection<String> taskIds, Collection<Long> deletedEntryIds, Instant at) {
        if (taskIds.isEmpty() && deletedEntryIds.isEmpty()) {
            return List.of();
        }
        return db.write(c -> finish.finishAll(c, taskIds, deletedEntryIds, at));
    }

    @Override
    public DeletionPreview previewAllDeletions(List<DeletionMark> marks, SimulatedDeletions earlier) {
        if (marks.isEmpty()) {
            return new DeletionPreview(List.of(), earlier);
        }
        try {
            db.write(c -> {
                throw new RolledBack(preview.preview(c, marks, earlier));
            });
            throw new IllegalStateException("unreachable");
        } catch (RolledBack rolledBack) {
            return rolledBack.result;
        }
    }

    /** Carries a preview's result out of a transaction that must not commit. */
    private static final class RolledBack extends RuntimeException {
        private final transient DeletionPreview result;

        RolledBack(DeletionPreview result) {
            super(null, null, false, false);
            this.result = result;
        }
    }

    @Override
    public Set<String> knownKeys(Collection<String> keys) {
        return keys.isEmpty() ? Set.of() : db.read(c -> FsckSql.known(c, keys));
    }

    @Override
    public Set<String> knownTaskIds(Collection<String> taskIds) {
        return taskIds.isEmpty() ? Set.of() : db.read(c -> FsckSql.knownTaskIds(c, taskIds));
    }

    @Override
    public List<Artifact> liveArtifactsAfter(String afterId, int limit) {
        return db.read(c -> FsckSql.liveAfter(c, afterId, limit));
    }

    @Override
    public int enqueueOrphans(Collection<String> keys, Instant at) {
        return keys.isEmpty() ? 0 : db.write(c -> fsck.enqueueOrphans(c, keys, at));
    }

    @Override
    public List<DetachedModel> unusedDetachedModels(String afterId, int limit) {
        return db.read(c -> DetachedModelSql.unused(c, afterId, limit));
    }

    @Override
    public MarkResult removeDetachedModel(String artifactId, boolean force, String actor, String reason, Instant at) {
        Objects.requireNonNull(artifactId, "artifactId");
        return db.write(c -> detachedModels.remove(c, artifactId, force, actor, reason, at));
    }

    @Override
    public boolean dropDanglingArtifact(String artifactId) {
        return db.write(c -> FsckSql.dropDangling(c, artifactId));
    }

    @Override
    public String storeId() {
        String id = storeId;
        if (id == null) {
            id = db.read(RootSql::storeId);
            storeId = id; // made once by the migration, never changed: safe to keep
        }
        return id;
    }

    @Override
    public Optional<RootBinding> artifactRoot(String name) {
        Objects.requireNonNull(name, "name");
        return db.read(c -> RootSql.find(c, name));
    }

    @Override
    public List<RootBinding> artifactRoots() {
        return db.read(RootSql::all);
    }

    @Override
    public RootBinding bindArtifactRoot(RootBinding binding) {
        Objects.requireNonNull(binding, "binding");
        return db.write(c -> RootSql.bind(c, binding));
    }

    @Override
    public void rebindArtifactRoot(RootBinding binding) {
        Objects.requireNonNull(binding, "binding");
        db.write(c -> {
            RootSql.rebind(c, binding);
            return null;
        });
    }

    /** The plan a reader connection uses for one page of {@code q} (for tests of index use). */
    List<String> plan(TaskQuery q) {
        return db.read(c -> queries.plan(c, q));
    }

    @Override
    public boolean hasStatistics() {
        return db.read(c -> Sql.one(c, dialect.hasStatistics(), rs -> rs.getBoolean(1)).orElse(false));
    }

    @Override
    public List<String> integrityProblems() {
        String check = dialect.integrityCheck();
        if (check == null) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        try {
            db.readWithoutTimeLimit(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(check)) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
                return null;
            });
        } catch (StoreException e) {
            // a page too damaged for the check to step over ends it with an error: damage all the same
            if (!(e.getCause() instanceof SQLException s && dialect.reportsDamage(s))) {
                throw e;
            }
            found.add(s.getMessage());
        }
        return found.equals(List.of("ok")) ? List.of() : List.copyOf(found.subList(0, Math.min(100, found.size())));
    }

    /** Without the query time limit: on a large catalog a full ANALYZE may outlast it, and never finishing is worse. */
    @Override
    public void refreshStatistics() {
        db.writeWithoutTimeLimit(c -> {
            try (Statement st = c.createStatement()) {
                for (String sql : dialect.refreshStatistics()) {
                    st.execute(sql);
                }
            }
            return null;
        });
        db.statisticsChanged();
    }

    @Override
    public void insertCleanupRun(CleanupRun run) {
        db.write(c -> {
            RunSql.insert(c, dialect, run);
            return null;
        });
    }

    @Override
    public Optional<CleanupRun> cleanupRun(String runId) {
        return db.read(c -> RunSql.byId(c, runId));
    }

    @Override
    public List<CleanupRun> cleanupRuns(int limit) {
        return db.read(c -> RunSql.newest(c, limit));
    }

    @Override
    public List<CleanupRun> cleanupRuns(String afterRunId, int limit) {
        return afterRunId == null ? cleanupRuns(limit) : db.read(c -> RunSql.after(c, afterRunId, limit));
    }

    @Override
    public boolean isReferencedByLiveArtifact(String storageKey) {
        return db.read(c -> ArtifactSql.referencedByLive(c, storageKey));
    }

    @Override
    public MarkResult markForDeletion(DeletionMark mark) {
        return db.write(c -> deletion.mark(c, mark));
    }

    @Override
    public List<PendingDelete> claimPendingDeletes(Collection<String> taskIds, int limit, Instant now, Instant claimUntil,
                                                   ProcessIdentity claimant) {
        return db.write(c -> purge.claim(c, taskIds, limit, now, claimUntil, claimant));
    }

    @Override
    public List<QueueClaim> queueClaims(Collection<String> taskIds, Instant now) {
        if (taskIds != null && taskIds.isEmpty()) {
            return List.of();
        }
        return db.read(c -> PurgeSql.claims(c, taskIds, now));
    }

    @Override
    public long unattendedDeletions(Instant now, Instant queuedBefore) {
        return db.read(c -> PurgeSql.unattended(c, now, queuedBefore));
    }

    @Override
    public int releaseQueueClaims(String claimedBy, Instant now) {
        return db.write(c -> PurgeSql.release(c, claimedBy, now));
    }

    @Override
    public Map<String, Map<String, Long>> objectsOfWholeTaskEntries(Collection<String> taskIds) {
        return taskIds.isEmpty() ? Map.of() : db.read(c -> PurgeSql.objectsOfWholeTasks(c, taskIds));
    }

    @Override
    public void splitWholeTaskEntry(PendingDelete entry, long goneObjects, long goneBytes, List<PendingDelete> failed,
                                    Instant retryAt) {
        db.write(c -> {
            PurgeSql.splitWholeTask(c, entry, goneObjects, goneBytes, failed, retryAt);
            return null;
        });
    }

    @Override
    public void completePendingDeletes(Collection<Long> entryIds) {
        if (entryIds.isEmpty()) {
            return;
        }
        db.write(c -> {
            PurgeSql.complete(c, entryIds);
            return null;
        });
    }

    @Override
    public void failPendingDelete(long entryId, String error, Instant retryAt) {
        db.write(c -> {
            PurgeSql.fail(c, entryId, error, retryAt);
            return null;
        });
    }

    @Override
    public List<PendingDelete> pendingDeletes(int limit) {
        return db.read(c -> PurgeSql.open(c, limit));
    }

    @Override
    public Optional<FinishResult> finishDeletion(String taskId, Instant at) {
        return db.write(c -> finish.finish(c, taskId, at));
    }

    @Override
    public List<String> unfinishedDeletions(int limit) {
        return db.read(c -> FinishSql.unfinished(c, limit));
    }

    @Override
    public AuditPage audit(AuditQuery query) {
        return db.read(c -> FinishSql.audit(c, query));
    }

    @Override
    public void insertApiToken(ApiToken token) {
        Objects.requireNonNull(token, "token");
        db.write(c -> {
            TokenSql.insert(c, token);
            return null;
        });
    }

    @Override
    public Optional<ApiToken> findApiToken(String id) {
        return db.read(c -> TokenSql.find(c, id));
    }

    @Override
    public List<ApiToken> apiTokens() {
        return db.read(TokenSql::all);
    }

    @Override
    public boolean hasActiveApiTokens() {
        return db.read(TokenSql::anyActive);
    }

    @Override
    public boolean touchApiToken(String id, Instant usedAt) {
        return db.write(c -> TokenSql.touch(c, id, usedAt));
    }

    @Override
    public boolean revokeApiToken(String id) {
        return db.write(c -> TokenSql.revoke(c, id));
    }

    @Override
    public void heartbeat(WorkerInfo worker) {
        db.write(c -> {
            workers.heartbeat(c, worker);
            return null;
        });
    }

    @Override
    public void removeWorker(String workerId) {
        db.write(c -> {
            WorkerSql.remove(c, workerId);
            return null;
        });
    }

    @Override
    public List<WorkerInfo> workers() {
        return db.read(WorkerSql::all);
    }

    @Override
    public boolean tryAcquireLease(String name, String holder, ProcessIdentity process, Instant now, Instant until) {
        return db.write(c -> workers.tryAcquire(c, name, holder, process, now, until));
    }

    @Override
    public boolean takeOverLease(String name, String expectedHolder, String holder, ProcessIdentity process,
                                 Instant until) {
        return db.write(c -> WorkerSql.takeOver(c, name, expectedHolder, holder, process, until));
    }

    @Override
    public boolean renewLease(String name, String holder, Instant now, Instant until) {
        return db.write(c -> WorkerSql.renew(c, name, holder, now, until));
    }

    @Override
    public void releaseLease(String name, String holder) {
        db.write(c -> {
            WorkerSql.release(c, name, holder);
            return null;
        });
    }

    @Override
    public Optional<LeaseInfo> lease(String name) {
        return db.read(c -> WorkerSql.lease(c, name));
    }

    @Override
    public boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                             Map<String, StoredObject> stored, Instant now) {
        return db.write(c -> jobs.finish(c, taskId, workerId, finalStatus, exitCode, error, stored, now));
    }

    @Override
    public boolean finishJob(String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                             Map<String, StoredObject> stored, Map<String, Map<String, Double>> metrics, Instant now) {
        Map<String, Map<String, Double>> given = new LinkedHashMap<>();
        metrics.forEach((id, m) -> {
            if (stored.containsKey(id) && !m.isEmpty()) {
                given.put(id, Map.copyOf(m));
            }
        });
        return db.write(c -> {
            boolean ended = jobs.finish(c, taskId, workerId, finalStatus, exitCode, error, stored, now);
            if (ended && !given.isEmpty()) {
                MetricSql.merge(c, given);
            }
            return ended;
        });
    }

    @Override
    public Activation activateAdded(String taskId, String artifactId, StoredObject stored,
                                    Collection<String> replacing) {
        Objects.requireNonNull(stored, "stored");
        return db.write(c -> artifacts.activateAdded(c, taskId, artifactId, stored, replacing));
    }

    @Override
    public Registration registerArtifact(Artifact live, Collection<String> replacing) {
        Objects.requireNonNull(live, "live");
        List<String> replaced = List.copyOf(replacing);
        return db.write(c -> artifacts.register(c, live, replaced));
    }

    @Override
    public BatchRegistration registerBatch(List<Artifact> live, Collection<String> replacing,
                                           Map<String, Map<String, Double>> metrics) {
        List<Artifact> batch = List.copyOf(live);
        if (batch.isEmpty()) {
            return BatchRegistration.ALL_REGISTERED;
        }
        List<String> replaced = List.copyOf(replacing);
        Map<String, Map<String, Double>> given = Map.copyOf(metrics);
        return db.write(c -> artifacts.registerBatch(c, batch, replaced, given));
    }

    @Override
    public boolean setArtifactMetrics(String artifactId, Map<String, Double> metrics) {
        Objects.requireNonNull(artifactId, "artifactId");
        Map<String, Double> given = Map.copyOf(metrics);
        return db.write(c -> MetricSql.mergeIntoLive(c, dialect, artifactId, given));
    }

    @Override
    public Map<String, Map<String, Double>> metricsOf(Collection<String> artifactIds) {
        if (artifactIds.isEmpty()) {
            return Map.of();
        }
        return db.read(c -> MetricSql.of(c, artifactIds));
    }

    @Override
    public List<Registration> registerArtifacts(List<Artifact> live) {
        List<Artifact> list = List.copyOf(live);
        return list.isEmpty() ? List.of() : db.write(c -> artifacts.registerAll(c, list));
    }

    @Override
    public List<Artifact> pendingArtifactsBefore(Instant createdBefore, int limit) {
        return db.read(c -> ArtifactSql.pendingBefore(c, createdBefore, limit));
    }

    @Override
    public boolean dropPendingArtifact(String artifactId) {
        return db.write(c -> ArtifactSql.dropPending(c, artifactId));
    }

    @Override
    public List<String> liveTasksUsingInput(String artifactId) {
        return db.read(c -> ArtifactSql.liveUsers(c, artifactId));
    }

    @Override
    public void recordDeletedObjects(Collection<DeletedObjects> counts) {
        if (counts.isEmpty()) {
            return;
        }
        db.write(c -> {
            PurgeSql.recordDeleted(c, counts);
            return null;
        });
    }

    @Override
    public void close() {
        db.close();
    }

    @Override
    public StorageUsage.UsageReport usage(StorageUsage.UsageQuery query) {
        return db.read(c -> usage.report(c, query));
    }

    @Override
    public List<RetainedArtifact> artifactsCreatedBefore(TaskScope scope, ArtifactKind kind, Instant before,
                                                         RetainedArtifact after, int limit) {
        return db.read(c -> RetentionSql.createdBefore(c, scope, kind, before, after, limit));
    }

    @Override
    public List<RetainedArtifact> artifactsOfTasks(Collection<String> taskIds, Set<ArtifactKind> kinds, String metric) {
        return db.read(c -> RetentionSql.ofTasks(c, taskIds, kinds, metric));
    }

    @Override
    public List<String> unsubmitted(Collection<String> queues, int limit) {
        return db.read(c -> ExternalJobSql.unsubmitted(c, queues, limit));
    }

    @Override
    public boolean claimStarted(String taskId, String monitorId, Instant now, Instant leaseUntil) {
        return db.write(c -> ExternalJobSql.claimStarted(c, taskId, monitorId, now, leaseUntil));
    }

    @Override
    public boolean takeForSubmission(String taskId, String executor, String monitorId, Instant now) {
        return db.write(c -> ExternalJobSql.take(c, taskId, executor, monitorId, now));
    }

    @Override
    public void recordSubmitted(String taskId, String externalId, Instant now) {
        db.write(c -> {
            ExternalJobSql.submitted(c, taskId, externalId, now);
            return null;
        });
    }

    @Override
    public void releaseSubmission(String taskId) {
        db.write(c -> {
            ExternalJobSql.release(c, taskId);
            return null;
        });
    }

    @Override
    public void recordState(String taskId, String state, String reason, Instant now) {
        db.write(c -> {
            ExternalJobSql.state(c, taskId, state, reason, now);
            return null;
        });
    }

    @Override
    public void recordConsoleOffset(String taskId, long offset) {
        db.write(c -> {
            ExternalJobSql.consoleOffset(c, taskId, offset);
            return null;
        });
    }

    @Override
    public Optional<ExternalJob> externalJob(String taskId) {
        return db.read(c -> ExternalJobSql.find(c, taskId));
    }

    @Override
    public List<ExternalJob> activeExternalJobs(String executor, int limit) {
        return db.read(c -> ExternalJobSql.active(c, executor, limit));
    }

    @Override
    public boolean adoptExternalJob(String taskId, String fromMonitor, String toMonitor, Instant now, Instant leaseUntil) {
        return db.write(c -> ExternalJobSql.adopt(c, taskId, fromMonitor, toMonitor, now, leaseUntil));
    }

    @Override
    public void forgetExternalJob(String taskId) {
        db.write(c -> {
            ExternalJobSql.forget(c, taskId);
            return null;
        });
    }

    @Override
    public HoldChange holdTask(String taskId, String actor, String reason, Instant at) {
        return db.write(c -> holds.holdTask(c, taskId, actor, reason, at));
    }

    @Override
    public HoldChange releaseTask(String taskId, String actor, String reason, Instant at) {
        return db.write(c -> holds.releaseTask(c, taskId, actor, reason, at));
    }

    @Override
    public HoldChange holdArtifact(String taskId, String artifactId, String actor, String reason, Instant at) {
        return db.write(c -> holds.holdArtifact(c, taskId, artifactId, actor, reason, at));
    }

    @Override
    public HoldChange releaseArtifact(String artifactId, String actor, String reason, Instant at) {
        return db.write(c -> holds.releaseArtifact(c, artifactId, actor, reason, at));
    }

    @Override
    public Map<String, Hold> artifactHolds(Collection<String> artifactIds) {
        return db.read(c -> holds.artifactHolds(c, artifactIds));
    }

    @Override
    public List<Hold> holds(String after, int limit) {
        return db.read(c -> holds.holds(c, after, limit));
    }

    @Override
    public List<StorageUsage.UsageDay> history(int days, Instant now) {
        return db.read(c -> usage.history(c, days, now));
    }

    @Override
    public void compactUsage() {
        db.write(c -> {
            usage.compact(c);
            return null;
        });
    }

    @Override
    public List<String> checkUsage(int limit) {
        return db.readWithoutTimeLimit(c -> usage.check(c, limit));
    }

    @Override
    public void repairUsage() {
        db.writeWithoutTimeLimit(c -> {
            usage.repair(c);
            return null;
        });
    }
}
