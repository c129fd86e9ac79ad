package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.RegisterArtifactContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Registering objects in place, on PostgreSQL: a database of its own, emptied before each test. */
class PostgresRegisterArtifactContractTest extends RegisterArtifactContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    @Override
    protected TaskStore newStore() {
        return PG.emptyStore();
    }
}
