package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;

import java.nio.file.Path;
import java.util.List;

/** The killed-add test on SQLite and the local filesystem: both stores live in the home's files. */
class SqliteAbandonedAddCrashTest extends AbandonedAddCrashContract {
    @Override
    protected TaskStore openTaskStore(Path home) {
        return JdbcTaskStore.openSqlite(home.resolve("reclaim.db"));
    }

    @Override
    protected List<String> childStoreArgs(Path home) {
        return List.of();
    }
}
