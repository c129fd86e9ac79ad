package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.ServiceTaskContract;

import java.nio.file.Path;

/** The Cleanup Service task contract on SQLite and the local filesystem. */
class SqliteServiceTaskContractTest extends ServiceTaskContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }
}
