package dev.reclaim.jdbc;

import org.sqlite.SQLiteErrorCode;

import java.sql.SQLException;
import java.util.List;

/**
 * SQLite: write transactions are serialized by {@code BEGIN IMMEDIATE}, so no row locks are
 * needed; {@code REGEXP} is an RE2/J function registered on every connection
 * ({@link RegexpFunction}).
 */
final class SqliteDialect implements Dialect {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String migrationLocation() {
        return "classpath:db/migration/sqlite";
    }

    @Override
    public String regexp(String column) {
        return column + " REGEXP ?";
    }

    /** The pattern itself, for {@link RegexpFunction}, once PostgreSQL's translation has accepted it. */
    @Override
    public String regexpPattern(String re2) {
        PosixPattern.translate(re2);
        return re2;
    }

    @Override
    public String forUpdate() {
        return "";
    }

    @Override
    public String claimLock() {
        return "";
    }

    @Override
    public String insertOpenPendingDeletes(int rows) {
        return Dialect.insertOpenPendingDeletes(rows, "ON CONFLICT DO NOTHING");
    }

    @Override
    public String upsertLease() {
        return "INSERT INTO leases (name, holder, expires_at, holder_process) VALUES (?, ?, ?, ?) "
                + "ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at, "
                + "holder_process = excluded.holder_process "
                + "WHERE leases.holder = excluded.holder OR leases.expires_at <= ?";
    }

    @Override
    public String upsertWorker() {
        return "INSERT INTO workers (id, host, pid, queues, slots, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (id) DO UPDATE SET host = excluded.host, pid = excluded.pid, queues = excluded.queues, "
                + "slots = excluded.slots, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at";
    }

    /**
     * {@code quick_check}: every page and record is read and checked, but not that every index
     * agrees with its table, which would cost a sort per index; at most 100 problems.
     */
    @Override
    public String integrityCheck() {
        return "PRAGMA quick_check(100)";
    }

    @Override
    public boolean reportsDamage(SQLException e) {
        return e.getErrorCode() == SQLiteErrorCode.SQLITE_CORRUPT.code
                || e.getErrorCode() == SQLiteErrorCode.SQLITE_NOTADB.code;
    }

    @Override
    public String jsonParameter() {
        return "?";
    }

    @Override
    public boolean locksRows() {
        return false;
    }

    @Override
    public String lockStorageKey() {
        return null;
    }

    @Override
    public String lockStorageKeys() {
        return null;
    }

    /**
     * A sampled ANALYZE (about 1,000 rows per index, fast at any size), then a full one of the
     * low-cardinality indexes. Sampling misjudges those badly: at 1,000,000 tasks it estimated
     * 1,001 rows per status where there were 500,000, so the planner picked the status index and
     * sorted every page of a keyset query (5 s a page) instead of walking the sort index (3 ms).
     * Every index that leads with the project counts too: sampled, the {@code (project, time, id)}
     * indexes showed 501 tasks a project where there were 5,000, and the planner read a project's
     * tasks through one of them and sorted them for each page instead of walking {@code (project, id)}.
     */
    @Override
    public String hasStatistics() {
        // sqlite_stat1 exists once ANALYZE has run on the database
        return "SELECT COUNT(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'";
    }

    @Override
    public List<String> refreshStatistics() {
        return List.of("PRAGMA analysis_limit = 1000", "ANALYZE", "PRAGMA analysis_limit = 0",
                "ANALYZE ix_tasks_status_id", "ANALYZE ix_tasks_project_id", "ANALYZE ix_tasks_project_last_update",
                "ANALYZE ix_tasks_project_created", "ANALYZE ix_task_tags_tag", "ANALYZE ix_tasks_claim");
    }

    @Override
    public boolean arrayParameters() {
        return false;
    }
}
