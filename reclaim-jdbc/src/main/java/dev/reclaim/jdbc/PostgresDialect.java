package dev.reclaim.jdbc;

import java.util.List;

/**
 * PostgreSQL 12+: write transactions run concurrently under READ COMMITTED, so the store locks
 * what it relies on. Rows it re-checks are read {@code FOR UPDATE}; queue claims skip rows another
 * transaction holds ({@code FOR UPDATE SKIP LOCKED}) so concurrent workers and purgers never wait
 * on or claim the same row; storage keys are guarded by transaction-scoped advisory locks (see
 * {@link Dialect#lockStorageKey()}). The name filter uses PostgreSQL's {@code ~} operator.
 */
final class PostgresDialect implements Dialect {
    /**
     * First half of every advisory lock key the store takes ("RCLM"), so its locks do not collide
     * with another application's advisory locks on the same database.
     */
    static final int LOCK_NAMESPACE = 0x52434c4d;

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/postgresql";
    }

    /**
     * POSIX advanced regular expressions, with find semantics; the RE2 pattern is bound in its
     * translation ({@link #regexpPattern}).
     */
    @Override
    public String regexp(String column) {
        return column + " ~ ?";
    }

    @Override
    public String regexpPattern(String re2) {
        return PosixPattern.translate(re2);
    }

    @Override
    public String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    public String claimLock() {
        return " FOR UPDATE SKIP LOCKED";
    }

    /** As SQLite's, with the partial unique index named as the conflict target. */
    @Override
    public String insertOpenPendingDeletes(int rows) {
        return Dialect.insertOpenPendingDeletes(rows, "ON CONFLICT (storage_key) WHERE state = 'OPEN' DO NOTHING");
    }

    /**
     * One atomic statement: a concurrent first insert of the same name makes this one wait for it
     * and then take the DO UPDATE path, whose WHERE is evaluated on the committed row, so of
     * several concurrent callers exactly one gets an update count of 1.
     */
    @Override
    public String upsertLease() {
        return "INSERT INTO leases (name, holder, expires_at, holder_process) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, "
                + "holder_process = excluded.holder_process "
                + "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?";
    }

    @Override
    public String upsertWorker() {
        return "INSERT INTO workers (id, host, pid, queues, slots, started_at, heartbeat_at) "
                + "VALUES (?, ?, ?, " + jsonParameter() + ", ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues, "
                + "slots = excluded.slots, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at";
    }

    /** ANALYZE reads a fixed-size sample per table (300 x the statistics target rows), so its cost is bounded. */
    @Override
    public String hasStatistics() {
        // autovacuum analyses on its own too, so a server-side store rarely lacks them
        return "SELECT COALESCE(MAX(CASE WHEN last_analyze IS NOT NULL OR last_autoanalyze IS NOT NULL THEN 1 ELSE 0 END), 0) = 1 "
                + "FROM pg_stat_user_tables WHERE relname = 'tasks' AND schemaname = current_schema()";
    }

    @Override
    public List<String> refreshStatistics() {
        return List.of("ANALYZE tasks, task_tags, artifacts, task_inputs, pending_deletes");
    }

    /**
     * None: the server keeps its files (data checksums, {@code amcheck}, backups are its
     * administrator's tools), and a client-side scan of a shared server would cost every user.
     */
    @Override
    public String integrityCheck() {
        return null;
    }

    @Override
    public String jsonParameter() {
        return "CAST(? AS json)";
    }

    @Override
    public boolean locksRows() {
        return true;
    }

    @Override
    public String lockStorageKey() {
        return "SELECT pg_advisory_xact_lock(" + LOCK_NAMESPACE + ", ?)";
    }

    /** One row per lock; a volatile output expression is evaluated after ORDER BY, so in ascending order. */
    @Override
    public String lockStorageKeys() {
        return "SELECT pg_advisory_xact_lock(" + LOCK_NAMESPACE + ", h) FROM (SELECT DISTINCT h FROM unnest(?::int4[]) AS u(h)) s "
                + "ORDER BY h";
    }

    @Override
    public boolean arrayParameters() {
        return true;
    }
}
