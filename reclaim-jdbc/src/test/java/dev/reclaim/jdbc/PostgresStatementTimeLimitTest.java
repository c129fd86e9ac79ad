package dev.reclaim.jdbc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

/**
 * The statement time limit on PostgreSQL ({@code statement_timeout}), and cancellation on close:
 * the server must stop the statement, not only the client stop waiting for it.
 */
class PostgresStatementTimeLimitTest extends StatementTimeLimitContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    private String url;

    @Override
    Connections open(Duration limit) {
        try {
            url = PG.createDatabase(null);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return PostgresConnections.open(url, null, null, 2, new PostgresDialect(), limit);
    }

    @Override
    int concurrentReads() {
        return 2;
    }

    @Override
    long runHeavy(Connection c) throws SQLException {
        return Sql.count(c, "WITH RECURSIVE heavy(i) AS (SELECT 1" + HEAVY_TAIL);
    }

    @Override
    void awaitHeavyRunning() {
        await().atMost(Duration.ofSeconds(30)).until(() -> heavyRunning() > 0);
    }

    @Override
    void awaitHeavyGoneFromTheDatabase() {
        await().atMost(Duration.ofSeconds(5)).until(() -> heavyRunning() == 0);
    }

    /** Drops this test's database now, so a statement a failed test left running stops burning CPU. */
    @AfterEach
    void dropDatabase() throws SQLException {
        if (url != null) {
            PG.dropDatabase(url);
        }
    }

    private long heavyRunning() throws SQLException {
        try (Connection c = DriverManager.getConnection(url)) {
            return Sql.count(c, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND state = 'active' AND query LIKE 'WITH RECURSIVE heavy%'");
        }
    }
}
