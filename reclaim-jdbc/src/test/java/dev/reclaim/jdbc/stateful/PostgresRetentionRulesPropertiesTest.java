package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.PostgresTestDatabase;
import dev.reclaim.store.TaskStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;

/** The retention rules property on PostgreSQL (a database of its own, emptied for each catalog) and a folder. */
class PostgresRetentionRulesPropertiesTest extends RetentionRulesProperties {
    private static final PostgresTestDatabase PG = new PostgresTestDatabase();

    @BeforeContainer
    static void createDatabase() throws SQLException {
        PG.beforeAll(null); // fails when RECLAIM_REQUIRE_PG=1 and no server answers, else skips
    }

    @AfterContainer
    static void dropDatabase() throws SQLException {
        PG.afterAll(null);
    }

    @Override
    TaskStore newStore(Path dir) {
        return PG.emptyStore();
    }

    @Property(tries = 40)
    void noRuleSetDeletesAHeldPublishedOrInUseArtifactAndItsDryRunIsItsRun(
            @ForAll("catalogs") List<TaskPlan> catalog, @ForAll("ruleSets") String rules) throws IOException {
        holdsFor(catalog, rules);
    }
}
