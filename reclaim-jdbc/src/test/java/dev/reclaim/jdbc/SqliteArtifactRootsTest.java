package dev.reclaim.jdbc;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.ArtifactRootsContract;

import java.nio.file.Path;

/** Root ownership on SQLite and the local filesystem, the embedded default. */
class SqliteArtifactRootsTest extends ArtifactRootsContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    @Override
    protected TaskStore otherTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("other-" + System.nanoTime() + ".db"));
    }

    @Override
    protected TaskStore sameTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
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
        FsRoots.forgetBindings("jdbc:sqlite:" + tmp.resolve("reclaim.db"));
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
