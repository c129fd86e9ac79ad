package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.RetentionRulesContract;

import java.nio.file.Path;

/** The retention rules contract on SQLite and the local filesystem, the embedded default. */
class SqliteRetentionRulesContractTest extends RetentionRulesContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }
}
