package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.RegisterArtifactContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Registering objects in place, on a SQLite file. */
class SqliteRegisterArtifactContractTest extends RegisterArtifactContract {
    @TempDir
    Path tmp;

    @Override
    protected TaskStore newStore() {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }
}
