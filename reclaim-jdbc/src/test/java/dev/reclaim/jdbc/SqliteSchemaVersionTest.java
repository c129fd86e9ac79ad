package dev.reclaim.jdbc;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** The schema version check on a SQLite file. */
class SqliteSchemaVersionTest extends SchemaVersionContract {
    @TempDir
    Path tmp;

    @Override
    JdbcTaskStore open() {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("reclaim.db"));
    }
}
