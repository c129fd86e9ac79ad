package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.ArtifactWritesContract;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/** The writes contract on PostgreSQL and S3 (S3Proxy): conditional puts, checksums read back over S3. */
class PostgresS3ArtifactWritesContractTest extends ArtifactWritesContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    private final S3ProxyFixture s3 = S3ProxyFixture.shared();

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return PG.emptyStore();
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return s3.store(s3.newBucket(), "reclaim").build();
    }

    @Override
    protected Path artifactFolder() {
        return null; // S3 puts leave no temp files
    }
}
