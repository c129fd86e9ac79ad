package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.NamedStoresContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.SQLException;

/** Registering in place on PostgreSQL, with folders for the default root and the named stores. */
class PostgresNamedStoresTest extends NamedStoresContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return PG.emptyStore();
    }

    @Override
    protected TaskStore sameTaskStore(Path tmp) {
        return JdbcTaskStore.openPostgres(PG.url(), null, null, 2);
    }

    @Override
    protected TaskStore otherTaskStore(Path tmp) {
        try {
            return JdbcTaskStore.openPostgres(PG.createDatabase(null), null, null, 2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected ArtifactStore defaultRoot(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    @Override
    protected ArtifactStore namedStore(Path tmp, String name) {
        return FileArtifactStore.open(tmp.resolve("stores").resolve(name));
    }

    @Override
    protected void removeMarker(String name) {
        FsRoots.removeMarker(tmp.resolve("stores").resolve(name));
    }

    @Override
    protected void writeMarkerText(String name, String text) {
        FsRoots.writeMarker(tmp.resolve("stores").resolve(name), text);
    }
}
