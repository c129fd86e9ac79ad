package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.PostgresTestDatabase;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;

/**
 * The stateful property on PostgreSQL (a database of its own, emptied before each sequence) and a
 * folder. Fewer sequences than on SQLite: each costs more, and the rules it checks are the same
 * code but for the SQL, which the SQLite runs and the contract suites cover at length.
 */
class PostgresStatefulPropertiesTest extends StatefulProperties {
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
    Backend backend() {
        return new PostgresBackend(PG, dir -> new FolderPlace(dir.resolve("artifacts")));
    }

    @Property(tries = 100)
    void nothingIsLostNothingIsLeftAndADryRunIsTheRunWhateverTheSequenceAndWhereverItCrashes(
            @ForAll("sequences") List<Step> steps) throws IOException {
        holdsFor(steps).collect();
    }
}
