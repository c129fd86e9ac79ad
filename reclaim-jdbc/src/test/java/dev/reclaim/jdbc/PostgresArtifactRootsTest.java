package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.ArtifactRootsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.sql.SQLException;

/** Root ownership on PostgreSQL and the local filesystem. */
class PostgresArtifactRootsTest extends ArtifactRootsContract {
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

    @Override
    protected TaskStore otherTaskStore(Path tmp) {
        try {
            return JdbcTaskStore.openPostgres(PG.createDatabase(null), null, null, 2);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected TaskStore sameTaskStore(Path tmp) {
        return JdbcTaskStore.openPostgres(PG.url(), null, null, 2);
    }

    @Override
    protected void removeMarker() {
        FsRoots.removeMarker(tmp.resolve("artifacts"));
    }

    @Override
    protected void writeMarkerText(String text) {
        FsRoots.writeMarker(tmp.resolve("artifacts"), text);
    }

    @Override
    protected void forgetBindings() {
        FsRoots.forgetBindings(PG.url());
    }

    @Override
    protected ArtifactStore sameRoot(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    @Override
    protected ArtifactStore otherRoot(Path tmp, String name) {
        return FileArtifactStore.open(tmp.resolve("roots").resolve(name));
    }
}
