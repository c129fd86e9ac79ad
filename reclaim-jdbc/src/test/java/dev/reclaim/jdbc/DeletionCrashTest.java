package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;

import java.nio.file.Path;
import java.util.List;

/** The deletion crash test on SQLite: the database file is part of the home, copied with it. */
class DeletionCrashTest extends DeletionCrashContract {
    @Override
    protected TaskStore openTaskStore(Path home) {
        return JdbcTaskStore.openSqlite(home.resolve("reclaim.db"));
    }

    @Override
    protected void copyTaskStore(Path template, Path home) {
        // reclaim.db and its WAL were copied with the home's files
    }

    @Override
    protected List<String> childStoreArgs(Path home) {
        return List.of();
    }
}
