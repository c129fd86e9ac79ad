package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database migrated by a newer Reclaim is refused at open, naming both schema versions: this
 * build cannot know what the newer schema means, and writing to it could break the newer program.
 */
abstract class SchemaVersionContract {

    /** Opens (creating and migrating) this test's database. */
    abstract JdbcTaskStore open();

    /** A plain connection to the same database, for what no store would write. */
    abstract Connection connect() throws SQLException;

    @Test
    void aDatabaseMigratedByANewerReclaimIsRefusedNamingBothVersions() throws SQLException {
        open().close();
        int newest;
        try (Connection c = connect()) {
            List<Integer> versions = Sql.list(c, "SELECT version FROM flyway_schema_history WHERE version IS NOT NULL",
                    rs -> Integer.parseInt(rs.getString(1)));
            newest = versions.stream().max(Integer::compare).orElseThrow();
            int rank = (int) Sql.count(c, "SELECT MAX(installed_rank) FROM flyway_schema_history");
            Sql.update(c, "INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum, "
                    + "installed_by, execution_time, success) VALUES (?, ?, 'from a newer Reclaim', 'SQL', ?, 0, 'test', 0, ?)",
                    rank + 1, String.valueOf(newest + 7), "V" + (newest + 7) + "__from_a_newer_reclaim.sql", true);
            if (!c.getAutoCommit()) {
                c.commit();
            }
        }

        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining("this database was migrated by a newer Reclaim (schema V" + (newest + 7)
                        + "); this build knows up to V" + newest + "; upgrade Reclaim");
    }

    @Test
    void aDatabaseAtThisBuildsVersionOpens() {
        open().close();
        try (JdbcTaskStore again = open()) {
            assertThat(again.hasStatistics()).isIn(true, false);
        }
    }
}
