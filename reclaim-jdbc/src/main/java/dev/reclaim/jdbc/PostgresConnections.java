package dev.reclaim.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.ReclaimException;
import dev.reclaim.StoreBusyException;
import dev.reclaim.StoreException;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A HikariCP pool of connections to one PostgreSQL database that any number of processes share.
 *
 * <ul>
 *   <li>Write transactions run under READ COMMITTED, the server's default: the store's
 *       compare-and-sets are conditional UPDATEs whose row counts decide, re-checked rows are read
 *       {@code FOR UPDATE}, queue claims use {@code FOR UPDATE SKIP LOCKED}, and storage keys are
 *       guarded by advisory locks ({@link PostgresDialect}). SERIALIZABLE would also be correct but
 *       makes concurrent claimers fail and retry constantly, since they all read the same queue.</li>
 *   <li>Read transactions run under REPEATABLE READ, READ ONLY: one snapshot for the whole unit of
 *       work (a page of tasks and their tags agree), and a read-only transaction never fails to
 *       serialize.</li>
 *   <li>A transaction that fails with a serialization failure or a deadlock (the server picked it
 *       as the victim and rolled it back) is run again from the start, up to {@link #MAX_ATTEMPTS}
 *       times with a short random back-off. Every unit of work is a function of the database
 *       alone, so running it again is safe.</li>
 *   <li>Every statement runs under the server's {@code statement_timeout}, set for each pooled
 *       session when it starts (migrations run without it: an index build on a large table may
 *       need longer). Closing cancels the statements still running on borrowed connections, on the
 *       server: dropping the socket alone would leave the server computing until the limit.</li>
 * </ul>
 */
final class PostgresConnections implements Connections {
    /** Attempts of one transaction that keeps failing with a transient error before giving up. */
    static final int MAX_ATTEMPTS = 10;
    /** How long a caller waits for a free pooled connection before failing. */
    static final long CONNECTION_TIMEOUT_MS = 30_000;
    /** SQLSTATE of a serialization failure. */
    private static final String SERIALIZATION_FAILURE = "40001";
    /** SQLSTATE of a deadlock the server broke by rolling this transaction back. */
    private static final String DEADLOCK_DETECTED = "40P01";
    /** SQLSTATE of a regular expression the server does not accept. */
    private static final String INVALID_REGULAR_EXPRESSION = "2201B";
    /** SQLSTATE of a statement canceled: by statement_timeout, or by a cancel request when closing. */
    private static final String QUERY_CANCELED = "57014";

    private final HikariDataSource pool;
    private final String where;
    private final Duration timeLimit;
    private final Set<Connection> borrowed = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PostgresConnections(HikariDataSource pool, String where, Duration timeLimit) {
        this.pool = pool;
        this.where = where;
        this.timeLimit = timeLimit;
    }

    /**
     * Opens a pool on {@code jdbcUrl} and migrates the schema (Flyway serializes concurrent
     * migrations of one database with an advisory lock, so several processes may start at once).
     *
     * @param user     user name, or null to take it from the URL or the driver's defaults
     * @param password password, or null for none (trust or peer authentication, or one in the URL)
     * @param poolSize most connections kept open; at least 1
     * @param timeLimit how long one statement may run before the server stops it
     * @throws StoreException if the database cannot be reached or migrated
     */
    static PostgresConnections open(String jdbcUrl, String user, String password, int poolSize, Dialect dialect,
                                    Duration timeLimit) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new InvalidArgumentException("not a PostgreSQL JDBC URL: '" + redact(jdbcUrl)
                    + "'; expected jdbc:postgresql://host:port/database");
        }
        StatementLimit.check(timeLimit);
        if (poolSize < 1) {
            throw new InvalidArgumentException("the connection pool size must be at least 1, got " + poolSize);
        }
        String where = redact(jdbcUrl);
        // migrate over a plain connection first: Flyway manages its own transactions, and a
        // database that cannot be reached fails here with the driver's own message
        Migrations.migrate(dataSource(jdbcUrl, user, password), dialect);

        PGSimpleDataSource limited = dataSource(jdbcUrl, user, password);
        // a startup option, not a SET after connecting: it holds from the session's first
        // statement, and no rollback of a transaction can undo it
        String options = limited.getOptions();
        limited.setOptions((options == null || options.isBlank() ? "" : options + " ")
                + "-c statement_timeout=" + timeLimit.toMillis());
        HikariConfig config = new HikariConfig();
        config.setPoolName("reclaim-pg");
        config.setDataSource(limited);
        config.setMaximumPoolSize(poolSize);
        // a CLI or a small worker needs few connections; the pool grows on demand up to poolSize
        config.setMinimumIdle(Math.min(2, poolSize));
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        // a caller waits for a pooled connection no longer than its work may run (Hikari's least is 250 ms)
        config.setConnectionTimeout(Math.max(250, Math.min(CONNECTION_TIMEOUT_MS, timeLimit.toMillis())));
        try {
            return new PostgresConnections(new HikariDataSource(config), where, timeLimit);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open a connection pool on " + where + ": " + e.getMessage(), e);
        }
    }

    private static PGSimpleDataSource dataSource(String jdbcUrl, String user, String password) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl);
        if (user != null) {
            ds.setUser(user);
        }
        if (password != null) {
            ds.setPassword(password);
        }
        return ds;
    }

    @Override
    public <T> T write(Sql.Work<T> work) {
        return run(work, false, true);
    }

    @Override
    public <T> T read(Sql.Work<T> work) {
        return run(work, true, true);
    }

    @Override
    public <T> T readWithoutTimeLimit(Sql.Work<T> work) {
        return run(work, true, false);
    }

    @Override
    public <T> T writeWithoutTimeLimit(Sql.Work<T> work) {
        return run(work, false, false);
    }

    private <T> T run(Sql.Work<T> work, boolean readOnly, boolean limited) {
        for (int attempt = 1; ; attempt++) {
            checkOpen();
            Connection c = borrow();
            try {
                if (readOnly) {
                    execute(c, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
                }
                if (!limited) {
                    execute(c, "SET LOCAL statement_timeout = 0");
                }
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollback(c, e);
                if (isTransient(e) && attempt < MAX_ATTEMPTS) {
                    backOff(attempt, e);
                    continue;
                }
                throw translate(e, attempt, readOnly);
            } catch (RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                giveBack(c);
            }
        }
    }

    private Connection borrow() {
        Connection c;
        try {
            c = pool.getConnection();
        } catch (SQLException e) {
            if (closed) {
                throw closedWhileRunning(e);
            }
            if (e instanceof SQLTransientConnectionException && e.getCause() == null) {
                // Hikari's timeout with no connection failure behind it: every connection stayed borrowed
                Duration waited = Duration.ofMillis(pool.getConnectionTimeout());
                throw new StoreBusyException("the database is busy: all " + pool.getMaximumPoolSize() + " connections of "
                        + "this process stayed in use for " + StatementLimit.seconds(waited) + " s, as long as a request "
                        + "may wait; nothing was changed; try again in a moment", waited, e);
            }
            throw new StoreException("no connection to " + where + ": " + e.getMessage(), e);
        }
        borrowed.add(c);
        return c;
    }

    private void giveBack(Connection c) {
        borrowed.remove(c);
        Sql.forget(c);
        try {
            c.close();
        } catch (SQLException e) {
            // the pool evicts a connection it cannot take back; nothing to do here
        }
    }

    /** True for failures the server resolved by rolling back this transaction alone: running it again may succeed. */
    static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s
                    && (SERIALIZATION_FAILURE.equals(s.getSQLState()) || DEADLOCK_DETECTED.equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    private static void backOff(int attempt, SQLException cause) {
        // random, growing: two transactions that deadlocked must not collide again in lockstep
        long maxMs = Math.min(200, 5L << Math.min(attempt, 6));
        try {
            TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextLong(1, maxMs + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying a transaction: " + cause.getMessage(), cause);
        }
    }

    private ReclaimException translate(SQLException e, int attempts, boolean readOnly) {
        if (closed) {
            return closedWhileRunning(e);
        }
        if (QUERY_CANCELED.equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains("statement timeout")) {
            return StatementLimit.exceeded(timeLimit, readOnly, e);
        }
        if (INVALID_REGULAR_EXPRESSION.equals(e.getSQLState())) {
            // the syntax was checked and translated before the query ran: what is left is size
            return new InvalidArgumentException("the name pattern is too complex for PostgreSQL's regular expression "
                    + "engine (" + e.getMessage() + "); simplify it: fewer optional parts, word boundaries (\\b) or repeats");
        }
        String retried = attempts > 1 ? " (after " + attempts + " attempts)" : "";
        return new StoreException("database error on " + where + retried + ": " + e.getMessage(), e);
    }

    /** Rolls back whatever is open; after a failed statement PostgreSQL accepts nothing else in the transaction. */
    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The URL without its query string, which may carry a password. */
    static String redact(String jdbcUrl) {
        int q = jdbcUrl.indexOf('?');
        return q < 0 ? jdbcUrl : jdbcUrl.substring(0, q);
    }

    private void checkOpen() {
        if (closed) {
            throw new ReclaimException("the task store on " + where + " is closed");
        }
    }

    private ReclaimException closedWhileRunning(SQLException cause) {
        return new ReclaimException("the task store on " + where + " was closed, so the statement still running on it "
                + "was stopped (" + cause.getMessage() + ")", cause);
    }

    /** Cancels what still runs on the server, then closes the pool (which waits for borrowed connections to come back). */
    @Override
    public void close() {
        closed = true;
        for (Connection c : borrowed) {
            try {
                c.unwrap(PGConnection.class).cancelQuery();
            } catch (SQLException | RuntimeException e) {
                // the connection is gone already, and its statement with it
            }
        }
        pool.close();
    }
}
