package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.UnreachableStoreContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/**
 * fsck on PostgreSQL with an S3 store whose bucket goes away (emptied and deleted, as when a store
 * is pointed at the wrong bucket): a missing bucket says nothing about the objects.
 */
class PostgresS3UnreachableStoreTest extends UnreachableStoreContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final String bucket = s3.newBucket();

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return PG.emptyStore();
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return s3.store(bucket, "reclaim").build();
    }

    @Override
    protected void makeStoreUnreachable() {
        for (String key : s3.rawKeys(bucket)) {
            s3.admin().deleteObject(r -> r.bucket(bucket).key(key));
        }
        s3.admin().deleteBucket(r -> r.bucket(bucket));
    }
}
