package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.ArtifactRootsContract;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;
import java.sql.SQLException;

/** Root ownership on PostgreSQL and S3 (S3Proxy): the root is a bucket and prefix. */
class PostgresS3ArtifactRootsTest extends ArtifactRootsContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final String bucket = s3.newBucket();
    private int tests;
    private String prefix;

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return PG.emptyStore();
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        prefix = "team/reclaim-" + ++tests;
        return s3.store(bucket, prefix).build();
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
        s3.admin().deleteObject(r -> r.bucket(bucket).key(prefix + "/" + RootMarker.NAME));
    }

    @Override
    protected void writeMarkerText(String text) {
        s3.admin().putObject(r -> r.bucket(bucket).key(prefix + "/" + RootMarker.NAME), RequestBody.fromString(text));
    }

    @Override
    protected void forgetBindings() {
        FsRoots.forgetBindings(PG.url());
    }

    @Override
    protected ArtifactStore sameRoot(Path tmp) {
        return s3.store(bucket, prefix).build();
    }

    @Override
    protected ArtifactStore otherRoot(Path tmp, String name) {
        return s3.store(bucket, prefix + "-" + name).build();
    }
}
