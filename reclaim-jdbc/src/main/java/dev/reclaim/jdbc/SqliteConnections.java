package dev.reclaim.jdbc;

import dev.reclaim.ReclaimException;
import dev.reclaim.StoreBusyException;
import dev.reclaim.StoreException;
import org.sqlite.ProgressHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Connections to one SQLite file that several processes share (a CLI and a worker at once).
 *
 * <ul>
 *   <li>WAL journal and {@code synchronous=NORMAL}: readers never block the writer and commits
 *       are fast; foreign keys on; a busy timeout of the time limit (at most {@link #BUSY_TIMEOUT_MS})
 *       so a process waits for another's write lock instead of failing, but not longer than its
 *       work may run; waiting for this process's own writer or readers is bounded the same way
 *       ({@link StoreBusyException})</li>
 *   <li>One writer connection, used by one thread at a time (a fair lock), and
 *       {@link #READERS} read-only connections.</li>
 *   <li>Transactions are started by hand: {@code BEGIN IMMEDIATE} for writes, so the write lock is
 *       taken up front and never upgraded from a read lock (the cause of SQLITE_BUSY deadlocks
 *       between processes). The driver's own transaction mode is not used because after every
 *       {@code commit()} it immediately begins the next transaction, which with IMMEDIATE would
 *       hold the write lock between transactions and block every other process.</li>
 *   <li>Every unit of work runs under a time limit: a {@link StatementDeadline} on each connection
 *       interrupts a statement still running when the limit is up, and every running statement as
 *       soon as the connections close.</li>
 * </ul>
 */
final class SqliteConnections implements Connections {
    /** How long a statement waits for another process's lock before failing. */
    static final int BUSY_TIMEOUT_MS = 30_000;
    /** Read-only connections kept open. */
    static final int READERS = 4;
    /** Guards migrations of files opened by several threads of this JVM (the file lock guards processes). */
    private static final Object MIGRATION_LOCK = new Object();

    static {
        SqliteNativeLibrary.usePrivateFolder();
    }

    private final String url;
    private final Duration timeLimit;
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> all = new CopyOnWriteArrayList<>();
    /** Bumped when statistics change; a reader older than it is replaced before use. */
    private final AtomicLong statistics = new AtomicLong();
    private final Map<Connection, Long> readerStatistics = new ConcurrentHashMap<>();
    private final Map<Connection, StatementDeadline> deadlines = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private SqliteConnections(Path dbFile, Duration timeLimit) throws SQLException {
        this.url = "jdbc:sqlite:" + dbFile.toAbsolutePath();
        this.timeLimit = timeLimit;
        try {
            writer = open(false);
            all.add(writer);
            try (Statement s = writer.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
            }
            for (int i = 0; i < READERS; i++) {
                Connection r = open(true);
                all.add(r);
                readers.add(r);
            }
        } catch (SQLException | RuntimeException e) {
            closeAll();
            throw e;
        }
    }

    /**
     * Opens (creating it and its parent folders if needed) and migrates the database file.
     *
     * @param timeLimit how long one unit of work may run before it is stopped
     * @throws StoreException if the file cannot be created, opened or migrated
     */
    static SqliteConnections open(Path dbFile, Dialect dialect, Duration timeLimit) {
        StatementLimit.check(timeLimit);
        Path file = dbFile.toAbsolutePath();
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the folder of database " + file + ": " + e.getMessage(), e);
        }
        return openAndMigrate(file, dialect, timeLimit);
    }

    /**
     * Opens the connections and runs Flyway under a lock file, so two processes opening a new file
     * do not both create the schema. The connections are opened under the lock too: switching a
     * new file to WAL needs a lock that a migration in progress holds, and SQLite reports that as
     * busy at once instead of waiting.
     */
    private static SqliteConnections openAndMigrate(Path file, Dialect dialect, Duration timeLimit) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".migrate-lock");
        synchronized (MIGRATION_LOCK) {
            try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                SqliteConnections connections = new SqliteConnections(file, timeLimit);
                try {
                    SQLiteDataSource ds = new SQLiteDataSource(config());
                    ds.setUrl(connections.url);
                    Migrations.migrate(ds, dialect);
                } catch (RuntimeException e) {
                    connections.close();
                    throw e;
                }
                return connections;
            } catch (IOException e) {
                throw new StoreException("cannot lock " + lockFile + " to migrate the database: " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new StoreException("cannot open database " + file + ": " + e.getMessage(), e);
            }
        }
    }

    private static SQLiteConfig config() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MS);
        config.enforceForeignKeys(true);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        // 64 MiB of page cache per connection (default 2 MiB): deletes touch every index of the
        // tasks table, and a catalog of 100,000+ tasks outgrows the default cache.
        config.setCacheSize(-65_536);
        return config;
    }

    private Connection open(boolean readOnly) throws SQLException {
        SQLiteConfig config = config();
        // Waiting for another process's lock is bounded like waiting for a connection of this one:
        // the caller hears "busy, try again" within the time limit instead of hanging behind it.
        config.setBusyTimeout((int) Math.min(BUSY_TIMEOUT_MS, timeLimit.toMillis()));
        Connection c = config.createConnection(url);
        try {
            if (readOnly) {
                execute(c, "PRAGMA query_only = true");
            }
            StatementDeadline deadline = new StatementDeadline(() -> closed);
            RegexpFunction.register(c, deadline);
            ProgressHandler.setHandler(c, StatementDeadline.VM_STEPS, deadline);
            deadlines.put(c, deadline);
            return c;
        } catch (SQLException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public <T> T write(Sql.Work<T> work) {
        return write(work, timeLimit);
    }

    @Override
    public <T> T writeWithoutTimeLimit(Sql.Work<T> work) {
        return write(work, null);
    }

    private <T> T write(Sql.Work<T> work, Duration limit) {
        checkOpen();
        // Bounded like the work itself: a queue of writers behind a slow one would otherwise wait
        // one time limit each, and a request would hang instead of being told to come back.
        if (limit == null) {
            writeLock.lock();
        } else if (!acquireWriter(limit)) {
            throw busy("the database's one writer", limit);
        }
        try {
            checkOpen();
            return inTransaction(writer, "BEGIN IMMEDIATE", work, limit);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T read(Sql.Work<T> work) {
        return read(work, timeLimit);
    }

    @Override
    public <T> T readWithoutTimeLimit(Sql.Work<T> work) {
        return read(work, null);
    }

    private <T> T read(Sql.Work<T> work, Duration limit) {
        checkOpen();
        Connection c;
        Duration wait = limit == null ? Duration.ofMillis(BUSY_TIMEOUT_MS) : limit;
        try {
            c = readers.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a database connection", e);
        }
        if (c == null) {
            throw busy("all " + READERS + " read connections", wait);
        }
        try {
            checkOpen();
            c = withCurrentStatistics(c);
            return inTransaction(c, "BEGIN DEFERRED", work, limit);
        } finally {
            readers.add(c);
        }
    }

    /**
     * Waits at most {@code wait} for the writer. An interrupt does not cut the wait short, as with
     * an unbounded {@code lock()}: a thread interrupted to stop (a worker putting its job back) still
     * gets to write what it must; the interrupt is kept for its caller.
     */
    private boolean acquireWriter(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Work that waited {@code waited} for a connection held all along by other work. */
    private static StoreBusyException busy(String what, Duration waited) {
        return new StoreBusyException("the database is busy: " + what + " stayed in use for " + StatementLimit.seconds(waited)
                + " s, as long as a request may wait; nothing was changed; try again in a moment", waited, null);
    }

    @Override
    public void statisticsChanged() {
        statistics.incrementAndGet();
    }

    /**
     * The reader itself, or a fresh one when statistics changed since it was opened: a read-only
     * connection cannot run {@code ANALYZE sqlite_schema} to reload them, and a new connection
     * loads them on open. Its cached statements go with it.
     */
    private Connection withCurrentStatistics(Connection c) {
        long now = statistics.get();
        if (readerStatistics.getOrDefault(c, 0L) >= now) {
            return c;
        }
        Connection fresh;
        try {
            fresh = open(true);
        } catch (SQLException e) {
            return c; // keep the old plans rather than fail a read
        }
        readerStatistics.put(fresh, now);
        all.add(fresh);
        all.remove(c);
        readerStatistics.remove(c);
        deadlines.remove(c);
        try {
            c.close();
        } catch (SQLException e) {
            // the replaced reader; nothing to recover
        }
        return fresh;
    }

    /**
     * Runs {@code work} in one transaction, its time limit counted from when the transaction has
     * begun: waiting for another process's write lock does not use it up.
     */
    private <T> T inTransaction(Connection c, String begin, Sql.Work<T> work, Duration limit) {
        try {
            execute(c, begin);
        } catch (SQLException e) {
            if (isBusy(e)) {
                throw busyElsewhere(e);
            }
            throw new StoreException("cannot start a transaction on " + url + ": " + e.getMessage(), e);
        }
        StatementDeadline deadline = deadlines.get(c);
        deadline.start(limit);
        try {
            T result = work.run(c);
            execute(c, "COMMIT");
            return result;
        } catch (SQLException e) {
            deadline.stop();
            rollback(c, e);
            throw translate(e, deadline, limit, c != writer);
        } catch (RuntimeException | Error e) {
            deadline.stop();
            rollback(c, e);
            throw e;
        } finally {
            deadline.finish();
        }
    }

    private ReclaimException translate(SQLException e, StatementDeadline deadline, Duration limit, boolean readOnly) {
        if (closed) {
            return closedWhileRunning(e);
        }
        // interrupted by the progress handler, or failed by the name filter that saw the deadline pass
        if (deadline.expired()) {
            return StatementLimit.exceeded(limit, readOnly, e);
        }
        if (isBusy(e)) {
            return busyElsewhere(e);
        }
        return new StoreException("database error: " + e.getMessage(), e);
    }

    /** SQLITE_BUSY or SQLITE_LOCKED, extended codes included: another process kept its lock past the busy timeout. */
    static boolean isBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return e instanceof SQLiteException && (primary == 5 || primary == 6);
    }

    /** Another process held the database's lock for the whole busy timeout. */
    private StoreBusyException busyElsewhere(SQLException e) {
        Duration waited = Duration.ofMillis(Math.min(BUSY_TIMEOUT_MS, timeLimit.toMillis()));
        return new StoreBusyException("the database is busy: another process held its lock for "
                + StatementLimit.seconds(waited) + " s, as long as a request may wait; nothing was changed; try again "
                + "in a moment", waited, e);
    }

    private ReclaimException closedWhileRunning(SQLException cause) {
        return new ReclaimException("the task store on " + url + " was closed, so the statement still running on it "
                + "was stopped (" + cause.getMessage() + ")", cause);
    }

    /** Rolls back whatever is open; a failed COMMIT may or may not have ended the transaction. */
    private static void rollback(Connection c, Throwable cause) {
        try {
            execute(c, "ROLLBACK");
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new ReclaimException("the task store on " + url + " is closed");
        }
    }

    /**
     * Stops every statement still running (each connection's deadline answers "stop" from now on,
     * and an interrupt reaches a statement between two checks), then closes the connections once
     * the writer's transaction has rolled back.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection c : all) {
            StatementDeadline deadline = deadlines.get(c);
            // only where work runs: an interrupt stays pending on an idle connection and would stop
            // the checkpoint that folds the WAL into the database file when the connection closes
            if (deadline != null && deadline.running()) {
                try {
                    ((SQLiteConnection) c).getDatabase().interrupt();
                } catch (SQLException | RuntimeException e) {
                    // already closed; nothing runs on it
                }
            }
        }
        writeLock.lock();
        try {
            closeAll();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeAll() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing: nothing left to do with it
            }
        }
    }
}
