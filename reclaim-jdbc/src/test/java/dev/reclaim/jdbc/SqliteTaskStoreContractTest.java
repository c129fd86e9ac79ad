package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.TaskStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The TaskStore contract on a SQLite file in a temporary folder. */
class SqliteTaskStoreContractTest extends TaskStoreContract {
    @TempDir
    Path tmp;

    @Override
    protected TaskStore newStore() {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }
}
