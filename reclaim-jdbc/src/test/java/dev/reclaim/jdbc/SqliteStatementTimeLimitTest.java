package dev.reclaim.jdbc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
        java.time.Instant at = java.time.Instant.parse("2026-01-01T00:00:00Z");
        java.util.List<dev.reclaim.model.Task> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(dev.reclaim.model.Task.builder(dev.reclaim.model.Ids.next(at), "task-" + i, at).project("p" + i % 9).build());
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
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> db.read(this::runHeavy))
                    .isInstanceOf(dev.reclaim.QueryTimeoutException.class).hasMessageContaining("narrow the filter");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            long tasks = db.read(c -> Sql.count(c, "SELECT COUNT(*) FROM tasks"));
            assertThat(tasks).as("the connection is usable afterwards").isGreaterThanOrEqualTo(0);
        }
    }

    /** An embedded database runs statements only in the caller's thread, which has already returned. */
    @Override
    void awaitHeavyGoneFromTheDatabase() {
    }
}
