package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.DetachedModelsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/** The detached-models contract on Postgres and the local filesystem. */
class PostgresDetachedModelsContractTest extends DetachedModelsContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return PG.emptyStore();
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }
}
