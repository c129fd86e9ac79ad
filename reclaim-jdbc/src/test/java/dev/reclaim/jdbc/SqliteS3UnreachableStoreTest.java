package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.testkit.UnreachableStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.nio.file.Path;

/** fsck on SQLite with an S3 store whose server (an S3Proxy of this test's own) stops mid-run. */
class SqliteS3UnreachableStoreTest extends UnreachableStoreContract {
    private final S3ProxyFixture s3 = S3ProxyFixture.startPrivate();
    private boolean stopped;

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        // one attempt per request: a stopped server refuses at once, and retries would only repeat that
        return s3.store(s3.newBucket(), "reclaim").maxAttempts(1).build();
    }

    @Override
    protected void makeStoreUnreachable() {
        s3.stop();
        stopped = true;
    }

    @AfterEach
    void stopServer() {
        if (!stopped) {
            s3.stop();
        }
    }
}
