package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.TaskStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The TaskStore contract on PostgreSQL: a database of its own, emptied before each test. */
class PostgresTaskStoreContractTest extends TaskStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    @Override
    protected TaskStore newStore() {
        return PG.emptyStore();
    }
}
