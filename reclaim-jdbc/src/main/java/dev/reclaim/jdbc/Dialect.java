package dev.reclaim.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * The SQL that differs between databases. Everything else {@link JdbcTaskStore} runs is portable
 * SQL (SQLite 3.35+ and PostgreSQL 12+): booleans are bound as parameters or written as
 * {@code TRUE}/{@code FALSE}, instants are BIGINT epoch milliseconds.
 */
interface Dialect {

    /** Name for messages, e.g. {@code sqlite}. */
    String name();

    /** Flyway location of this dialect's migrations. */
    String migrationLocation();

    /**
     * A condition that is true when {@code column} contains a match of the pattern bound as the
     * next parameter (find semantics, not full match); bind {@link #regexpPattern} of the RE2 pattern.
     */
    String regexp(String column);

    /**
     * The value to bind for {@link #regexp}: the RE2 pattern, or its translation to the database's
     * syntax. Every dialect refuses the same patterns ({@link PosixPattern}).
     *
     * @throws dev.reclaim.InvalidArgumentException for a pattern some database cannot run with RE2's meaning
     */
    String regexpPattern(String re2);

    /**
     * Appended to a SELECT inside a write transaction to lock the rows it read until commit
     * ({@code FOR UPDATE}); empty where write transactions are serialized anyway.
     */
    String forUpdate();

    /**
     * Appended to the SELECT that picks the next job to claim, so concurrent claimers skip each
     * other's row ({@code FOR UPDATE SKIP LOCKED}); empty where write transactions are serialized.
     */
    String claimLock();

    /**
     * Inserts an OPEN pending-delete row for each of {@code rows} keys, except a key that already
     * has an OPEN row or that a LIVE artifact references, in one statement. Parameters, for each
     * row: storage key, size, task id (may be NULL), time (next attempt and creation). Returns the
     * storage key of each row inserted.
     */
    String insertOpenPendingDeletes(int rows);

    /** {@link #insertOpenPendingDeletes} with the dialect's way of skipping a key already OPEN. */
    static String insertOpenPendingDeletes(int rows, String onOpenConflict) {
        StringBuilder sql = new StringBuilder("WITH v (k, s, t, at) AS (VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
        }
        return sql.append(") INSERT INTO pending_deletes (storage_key, task_id, size_bytes, state, attempts, next_attempt_at, "
                        + "created_at) SELECT v.k, v.t, v.s, 'OPEN', 0, v.at, v.at FROM v "
                        + "WHERE NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.storage_key = v.k AND a.state = 'LIVE') "
                        + "AND NOT EXISTS (SELECT 1 FROM pending_deletes p WHERE p.storage_key = v.k AND p.state = 'OPEN') ")
                .append(onOpenConflict).append(" RETURNING storage_key").toString();
    }

    /**
     * Takes a lease if it is free, expired or held by the same holder. Parameters: name, holder,
     * expires at, holder process (may be NULL), now. Its update count is 1 when the holder now holds
     * the lease.
     */
    String upsertLease();

    /**
     * Inserts or replaces a worker row. Parameters: id, host, pid, queues (JSON), slots, started
     * at, heartbeat at.
     */
    String upsertWorker();

    /** Statements that refresh the planner's statistics, bounded in cost. */
    List<String> refreshStatistics();

    /**
     * A statement whose rows describe damage the database finds in its own files, or that say
     * {@code ok}; null where the store leaves that to the database server.
     */
    String integrityCheck();

    /** True when {@code e} says the database files are damaged (the check itself could not read past it). */
    default boolean reportsDamage(SQLException e) {
        return false;
    }

    /** A query whose first column is true (non-zero) when the planner has statistics of the tasks table. */
    String hasStatistics();

    /**
     * The parameter marker for a JSON column ({@code ?}, or {@code ?} with a cast where the column
     * has a JSON type that a text parameter does not convert to by itself).
     */
    String jsonParameter();

    /**
     * True where write transactions run concurrently (PostgreSQL under READ COMMITTED), so checks
     * that span rows must take locks; false where write transactions are serialized (SQLite), so
     * the extra locking statements are skipped and cost nothing.
     */
    boolean locksRows();

    /**
     * A statement that takes a transaction-scoped lock on one storage key, or null where
     * {@link #locksRows()} is false. Parameter: the key's {@link String#hashCode()}.
     *
     * <p>Why: whether a key may be queued for deletion depends on rows that may not exist yet (a
     * new LIVE artifact with the same key). Row locks cannot lock a row that is about to be
     * inserted, so both sides (queueing a key, inserting an artifact with a key) take this lock
     * first; the second one waits and then sees the first one's committed rows.
     */
    String lockStorageKey();

    /**
     * A statement that takes the locks of {@link #lockStorageKey()} on many keys in one round trip,
     * in ascending order of hash, or null where {@link #locksRows()} is false. Parameter: an
     * {@code int} array of the keys' hashes.
     */
    String lockStorageKeys();

    /**
     * Whether statements take array parameters ({@code unnest(?::text[])}): then one set-based
     * statement replaces a statement per row, which saves a round trip and a statement trigger per
     * row (PostgreSQL). Where false (SQLite, in-process) a statement per row is the faster form.
     */
    boolean arrayParameters();
}
