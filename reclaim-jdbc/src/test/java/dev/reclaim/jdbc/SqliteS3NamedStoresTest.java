package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.NamedStoresContract;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;

/**
 * Registering in place on SQLite with S3 (S3Proxy): the default root is a prefix of a bucket and
 * each named store another prefix of it, as a bucket of checkpoints next to Reclaim's own.
 */
class SqliteS3NamedStoresTest extends NamedStoresContract {
    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final String bucket = s3.newBucket();

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
        return s3.store(bucket, "reclaim").build();
    }

    @Override
    protected ArtifactStore namedStore(Path tmp, String name) {
        return s3.store(bucket, "data/" + name).build();
    }

    @Override
    protected void removeMarker(String name) {
        s3.admin().deleteObject(r -> r.bucket(bucket).key("data/" + name + "/" + RootMarker.NAME));
    }

    @Override
    protected void writeMarkerText(String name, String text) {
        s3.admin().putObject(r -> r.bucket(bucket).key("data/" + name + "/" + RootMarker.NAME), RequestBody.fromString(text));
    }
}
