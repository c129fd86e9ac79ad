package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.DetachedModelsContract;

import java.nio.file.Path;

/** The detached-models contract on Sqlite and the local filesystem. */
class SqliteDetachedModelsContractTest extends DetachedModelsContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }
}
