package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The killed-add test on PostgreSQL and S3 (S3Proxy in this JVM, reached by the child over
 * loopback): S3 puts leave no temp files, so the killed add leaves its PENDING record and, if its
 * PutObject had completed, its object.
 */
class PostgresS3AbandonedAddCrashTest extends PostgresAbandonedAddCrashTest {
    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final String bucket = s3.newBucket();
    private final Map<Path, String> prefixes = new HashMap<>();

    @Override
    protected void prepareHome(Path home) throws Exception {
        super.prepareHome(home);
        prefixes.put(home, "case-" + prefixes.size());
    }

    @Override
    protected ArtifactStore openArtifactStore(Path home) {
        return s3.store(bucket, prefixes.get(home)).build();
    }

    @Override
    protected List<String> childArtifactArgs(Path home) {
        return List.of("--s3", s3.endpoint().toString(), bucket, prefixes.get(home));
    }

    @Override
    protected Map<String, String> childEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", S3ProxyFixture.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyFixture.SECRET_KEY);
    }

    @Override
    protected boolean writesTempFiles() {
        return false;
    }

    /** Smaller: the in-process server keeps objects in memory. */
    @Override
    protected int fileSize() {
        return 8 << 20;
    }
}
