package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.NamedStoresContract;

import java.nio.file.Path;

/** Registering in place on SQLite, with folders for the default root and the named stores. */
class SqliteNamedStoresTest extends NamedStoresContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected TaskStore sameTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected TaskStore otherTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("other.db"));
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
