package dev.reclaim.jdbc;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The schema version check on PostgreSQL: a database of its own per test. */
class PostgresSchemaVersionTest extends SchemaVersionContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    private String url;

    @BeforeEach
    void createDatabase() throws SQLException {
        url = PG.createDatabase(null);
    }

    @Override
    JdbcTaskStore open() {
        return JdbcTaskStore.openPostgres(url, null, null, 2);
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }
}
