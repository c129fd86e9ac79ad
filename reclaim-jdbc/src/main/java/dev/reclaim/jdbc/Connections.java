package dev.reclaim.jdbc;

/**
 * Where a {@link JdbcTaskStore} gets its connections and how it runs transactions. Every store
 * method runs exactly one unit of work in one transaction; implementations wrap
 * {@link java.sql.SQLException} in {@link dev.reclaim.StoreException} and roll back on any failure.
 * Every unit of work runs under the store's time limit ({@link dev.reclaim.QueryTimeoutException}
 * when exceeded), and {@link #close()} stops statements that are still running.
 */
interface Connections extends AutoCloseable {

    /**
     * Runs {@code work} in a write transaction. Write transactions take the database's write lock
     * when they start, so a transaction never has to upgrade a read lock (no lock-upgrade deadlocks).
     */
    <T> T write(Sql.Work<T> work);

    /** Runs {@code work} in a read-only transaction that sees one consistent snapshot. */
    <T> T read(Sql.Work<T> work);

    /**
     * As {@link #read}, without the time limit: for checks whose cost grows with the size of the
     * database by design (an integrity scan), which an operator starts and waits for. Closing still
     * stops them.
     */
    <T> T readWithoutTimeLimit(Sql.Work<T> work);

    /**
     * As {@link #write}, without the time limit: for maintenance whose cost grows with the size of
     * the database by design (refreshing planner statistics), which would otherwise never finish on
     * a large catalog. Closing still stops it.
     */
    <T> T writeWithoutTimeLimit(Sql.Work<T> work);

    /**
     * New planner statistics were written: connections that loaded the old ones must reload them
     * (SQLite loads statistics once per connection) before their next query.
     */
    default void statisticsChanged() {
    }

    @Override
    void close();
}
