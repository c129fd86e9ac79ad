package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.PostgresTestDatabase;
import dev.reclaim.s3.S3ProxyFixture;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The stateful property on the scale-out pair: PostgreSQL and an S3 bucket (S3Proxy in this JVM),
 * each sequence under a prefix of its own with other people's objects in it and beside it. S3's
 * create-only puts, batch deletes and listings replace the folder's links and walks.
 */
class PostgresS3StatefulPropertiesTest extends StatefulProperties {
    private static final PostgresTestDatabase PG = new PostgresTestDatabase();
    private static final AtomicInteger SEQUENCES = new AtomicInteger();
    private static S3ProxyFixture s3;
    private static String bucket;

    @BeforeContainer
    static void createDatabaseAndBucket() throws SQLException {
        PG.beforeAll(null); // fails when RECLAIM_REQUIRE_PG=1 and no server answers, else skips
        s3 = S3ProxyFixture.shared();
        bucket = s3.newBucket();
    }

    @AfterContainer
    static void dropDatabase() throws SQLException {
        PG.afterAll(null);
    }

    @Override
    Backend backend() {
        String prefix = "seq-" + SEQUENCES.incrementAndGet();
        return new PostgresBackend(PG, dir -> new BucketPlace(s3, bucket, prefix));
    }

    @Property(tries = 50)
    void nothingIsLostNothingIsLeftAndADryRunIsTheRunWhateverTheSequenceAndWhereverItCrashes(
            @ForAll("sequences") List<Step> steps) throws IOException {
        holdsFor(steps).collect();
    }
}
