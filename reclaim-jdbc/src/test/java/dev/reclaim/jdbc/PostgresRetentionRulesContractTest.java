package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.RetentionRulesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/** The retention rules contract on PostgreSQL and the local filesystem. */
class PostgresRetentionRulesContractTest extends RetentionRulesContract {
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
