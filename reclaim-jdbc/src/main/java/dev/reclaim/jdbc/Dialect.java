package dev.reclaim.jdbc;

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
     * A condition that is true when {@code column} contains a match of the Java regular expression
     * bound as the next parameter (find semantics, not full match).
     */
    String regexp(String column);

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
     * Inserts one OPEN pending-delete row unless an OPEN row for the key exists or a LIVE artifact
     * references the key. Parameters: storage key, task id, size, next attempt at, created at,
     * storage key, storage key. Its update count says whether a row was inserted.
     */
    String insertOpenPendingDelete();

    /**
     * Takes a lease if it is free, expired or held by the same holder. Parameters: name, holder,
     * expires at, now. Its update count is 1 when the holder now holds the lease.
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
}
