package dev.reclaim.jdbc;

import dev.reclaim.QueryTimeoutException;
import dev.reclaim.StoreBusyException;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** The statement time limit on a SQLite file: a progress handler stops the running statement. */
class SqliteStatementTimeLimitTest extends StatementTimeLimitContract {
    @TempDir
    Path tmp;

    private final CountDownLatch started = new CountDownLatch(1);

    @Override
    Connections open(Duration limit) {
        return SqliteConnections.open(tmp.resolve("reclaim.db"), new SqliteDialect(), limit);
    }

    @Override
    int concurrentReads() {
        return SqliteConnections.READERS;
    }

    @Override
    long runHeavy(Connection c) throws SQLException {
        Function.create(c, "started", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                started.countDown();
                result(1);
            }
        });
        return Sql.count(c, "WITH RECURSIVE heavy(i) AS (SELECT started()" + HEAVY_TAIL);
    }

    @Override
    void awaitHeavyRunning() {
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).as("the heavy statement started").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Stopping running work on close must not stop the checkpoint that folds the WAL into the
     * database file as the last connection closes (a pending interrupt would).
     */
    @Test
    void closingIdleConnectionsStillFoldsTheWalIntoTheDatabaseFile() {
        Connections db = open(Duration.ofSeconds(30));
        db.write(c -> Sql.update(c, "INSERT INTO leases (name, holder, expires_at) "
                + "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) SELECT 'l' || i, 'h', i FROM n"));
        db.close();
        assertThat(tmp.resolve("reclaim.db-wal")).doesNotExist();
    }

    /** Maintenance whose cost grows with the catalog (statistics, integrity) runs to its end whatever the limit. */
    @Test
    void statisticsAndTheIntegrityCheckAreNotStoppedByTheLimit() {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Task.builder(Ids.next(at), "task-" + i, at).project("p" + i % 9).build());
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"))) {
            store.insertTasks(tasks);
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"), Duration.ofMillis(1))) {
            store.refreshStatistics();
            assertThat(store.integrityProblems()).isEmpty();
            assertThat(store.hasStatistics()).isTrue();
        }
    }

    /** A store opened read-only (a home the user cannot write) bounds its reads the same way. */
    @Test
    void aReadOnlyStoreStopsAQueryThatRunsLongerThanTheLimit() {
        open(Duration.ofSeconds(30)).close();
        try (SqliteReadOnlyConnections db = SqliteReadOnlyConnections.open(tmp.resolve("reclaim.db"), new SqliteDialect(),
                Duration.ofMillis(200))) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> db.read(this::runHeavy))
                    .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("narrow the filter");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            long tasks = db.read(c -> Sql.count(c, "SELECT COUNT(*) FROM tasks"));
            assertThat(tasks).as("the connection is usable afterwards").isGreaterThanOrEqualTo(0);
        }
    }

    /**
     * SQLite asks the progress handler only every {@link StatementDeadline#VM_STEPS} instructions,
     * and a name filter is one instruction per row however long RE2 takes inside it: a few hundred
     * rows never reach a check. The function itself asks for the deadline on every row, so even a
     * short scan of costly matches stops once the limit is up (1 ms here; the scan takes far longer).
     */
    @Test
    void aNameFilterChecksTheTimeLimitOnEveryRowItMatches() {
        Connections seed = open(Duration.ofSeconds(30));
        seed.write(c -> Sql.update(c, "CREATE TABLE names (name TEXT)"));
        seed.write(c -> Sql.update(c, "INSERT INTO names (name) WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                + "SELECT i + 1 FROM n WHERE i < 400) SELECT printf('%.256c', 'a') FROM n"));
        seed.close();
        // about 1,900 RE2 instructions: every row costs RE2 hundreds of thousands of steps, no SQLite step
        String costly = "(?:a?){250}(?:[ab]a?){150}z";
        try (SqliteConnections db = SqliteConnections.open(tmp.resolve("reclaim.db"), new SqliteDialect(), Duration.ofMillis(1))) {
            assertThatThrownBy(() -> db.read(c -> Sql.count(c, "SELECT COUNT(*) FROM names WHERE name REGEXP ?", costly)))
                    .isInstanceOf(QueryTimeoutException.class).hasMessageContaining("narrow the filter");
            assertThat(db.<Long>read(c -> Sql.count(c, "SELECT 1"))).as("the connection is usable afterwards").isEqualTo(1);
        }
    }

    /** The one writer held by a write that does not finish: the next write gives up at the time limit. */
    @Test
    void aWriteWaitingForTheWriterGivesUpAtTheTimeLimit() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (Connections db = open(Duration.ofMillis(300))) {
            CompletableFuture<Integer> held = CompletableFuture.supplyAsync(() -> db.write(c -> {
                holding.countDown();
                StatementTimeLimitContract.hold(release);
                return 0;
            }));
            try {
                assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(
                        () -> db.write(c -> Sql.update(c, "INSERT INTO leases (name, holder, expires_at) VALUES ('l', 'h', 1)")))
                        .isInstanceOf(StoreBusyException.class).hasMessageContaining("try again"),
                        "the write waited for the writer without end");
            } finally {
                release.countDown();
            }
            held.get(30, TimeUnit.SECONDS);
            assertThat(db.<Long>read(c -> Sql.count(c, "SELECT COUNT(*) FROM leases"))).as("nothing was written").isZero();
        }
    }

    /** A thread interrupted to stop (a worker putting its job back) still gets the writer, and keeps its interrupt. */
    @Test
    void anInterruptedThreadStillWritesAndKeepsItsInterrupt() {
        try (Connections db = open(Duration.ofSeconds(30))) {
            Thread.currentThread().interrupt();
            try {
                db.write(c -> Sql.update(c, "INSERT INTO leases (name, holder, expires_at) VALUES ('l', 'h', 1)"));
                assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
            } finally {
                Thread.interrupted();
            }
            assertThat(db.<Long>read(c -> Sql.count(c, "SELECT COUNT(*) FROM leases"))).isEqualTo(1);
        }
    }

    /** An embedded database runs statements only in the caller's thread, which has already returned. */
    @Override
    void awaitHeavyGoneFromTheDatabase() {
    }
}
