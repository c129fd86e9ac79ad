package dev.reclaim.jdbc;

import dev.reclaim.ReclaimException;
import dev.reclaim.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One read-only connection to an existing SQLite file, for a home the user can read but not
 * write. Nothing is created, locked or migrated: the file must exist with an up-to-date schema
 * (a migration writes), and every write fails with a {@link StoreException} saying the store is
 * read-only.
 *
 * <p>A reader of a WAL file needs its {@code -shm} index, which SQLite cannot create in a
 * read-only folder. When a writer has the file open, its {@code -wal} and {@code -shm} exist and
 * are used read-only. When neither exists, every commit is in the file itself and it is opened
 * {@code immutable}: read as it is, without locks (a writer that starts during such a read can
 * make that one read see a mix of before and after).
 *
 * <p>Every read runs under the store's time limit, as on a writable store ({@link StatementDeadline}),
 * and closing stops a read that is still running.
 */
final class SqliteReadOnlyConnections implements Connections {
    private final String url;
    private final Path file;
    private final Connection connection;
    private final Duration timeLimit;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final StatementDeadline deadline;
    private volatile boolean closed;

    private SqliteReadOnlyConnections(Path file, String url, Connection connection, Duration timeLimit) throws SQLException {
        this.file = file;
        this.url = url;
        this.connection = connection;
        this.timeLimit = timeLimit;
        this.deadline = new StatementDeadline(() -> closed);
        RegexpFunction.register(connection, deadline);
        ProgressHandler.setHandler(connection, StatementDeadline.VM_STEPS, deadline);
    }

    /**
     * Opens {@code dbFile} for reading.
     *
     * @param timeLimit how long one read may run before it is stopped
     * @throws StoreException if it does not exist, cannot be opened, or its schema needs migrating
     */
    static SqliteReadOnlyConnections open(Path dbFile, Dialect dialect, Duration timeLimit) {
        StatementLimit.check(timeLimit);
        Path file = dbFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new StoreException("there is no database at " + file + ", and a read-only home cannot get one; "
                    + "run a command once as a user who can write there");
        }
        boolean idle = !Files.exists(file.resolveSibling(file.getFileName() + "-wal"))
                && !Files.exists(file.resolveSibling(file.getFileName() + "-shm"));
        String url = idle ? "jdbc:sqlite:" + file.toUri().toString().replaceFirst("^file:///", "file:/") + "?immutable=1"
                : "jdbc:sqlite:" + file;
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(SqliteConnections.BUSY_TIMEOUT_MS);
        Connection c;
        try {
            c = config.createConnection(url);
        } catch (SQLException e) {
            throw new StoreException("cannot open database " + file + " for reading: " + e.getMessage(), e);
        }
        try {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = true");
            }
            checkSchema(file, config, url, dialect);
            return new SqliteReadOnlyConnections(file, url, c, timeLimit);
        } catch (SQLException | RuntimeException e) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // the first failure is the one to report
            }
            if (e instanceof ReclaimException r) {
                throw r;
            }
            throw new StoreException("cannot read database " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses a schema that migrations would change: they cannot run on a file this process may not write. */
    private static void checkSchema(Path file, SQLiteConfig config, String url, Dialect dialect) {
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        int pending;
        try {
            pending = Flyway.configure(Migrations.class.getClassLoader()).dataSource(ds).locations(dialect.migrationLocation())
                    .loggers("slf4j").load().info().pending().length;
        } catch (FlywayException e) {
            throw new StoreException("cannot read the schema version of database " + file + ": " + e.getMessage(), e);
        }
        if (pending > 0) {
            throw new StoreException("database " + file + " needs a schema upgrade (" + pending + " migration(s)), which "
                    + "writes to it; run any command once as a user who can write there, then read-only commands work");
        }
    }

    @Override
    public <T> T write(Sql.Work<T> work) {
        throw new StoreException("the database " + file + " is open read-only (this process cannot write it), so nothing "
                + "can be changed; run the command as a user who can write there");
    }

    @Override
    public <T> T read(Sql.Work<T> work) {
        return read(work, timeLimit);
    }

    @Override
    public <T> T readWithoutTimeLimit(Sql.Work<T> work) {
        return read(work, null);
    }

    @Override
    public <T> T writeWithoutTimeLimit(Sql.Work<T> work) {
        return write(work);
    }

    private <T> T read(Sql.Work<T> work, Duration limit) {
        lock.lock();
        try {
            if (closed) {
                throw new ReclaimException("the task store on " + url + " is closed");
            }
            execute("BEGIN DEFERRED");
            deadline.start(limit);
            try {
                T result = work.run(connection);
                execute("COMMIT");
                return result;
            } catch (SQLException e) {
                deadline.stop();
                rollback();
                if (deadline.expired()) { // the progress handler or the name filter stopped it
                    throw StatementLimit.exceeded(limit, true, e);
                }
                throw new StoreException("database error: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                deadline.stop();
                rollback();
                throw e;
            } finally {
                deadline.finish();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot start a transaction on " + url + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private void rollback() {
        try {
            execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction left open, or the connection is gone; the original failure is reported
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing: nothing left to do with it
        } finally {
            lock.unlock();
        }
    }
}
