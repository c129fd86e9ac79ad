package dev.reclaim.s3;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.testkit.ArtifactStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link ArtifactStoreContract} for {@link S3ArtifactStore} against a real S3 server (S3Proxy),
 * under a prefix, with objects around the prefix that every test must leave untouched.
 */
class S3ArtifactStoreContractTest extends ArtifactStoreContract {
    static final String PREFIX = "team/reclaim";
    /** Neighbours of the prefix: the same bucket, a sibling sharing its first characters, its parent. */
    static final List<String> OUTSIDE = List.of("outside", "team/reclaimer/x", "team/reclaim.txt", "team/x");

    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private String bucket;

    @Override
    protected ArtifactStore newStore() {
        bucket = s3.newBucket();
        OUTSIDE.forEach(k -> s3.putRaw(bucket, k));
        return s3.store(bucket, PREFIX).build();
    }

    /** S3's 1,024-byte key limit includes the prefix and its slash. */
    @Override
    protected int longestKey() {
        return S3Keys.MAX_OBJECT_KEY_BYTES - PREFIX.length() - 1;
    }

    @AfterEach
    void nothingOutsideThePrefixWasTouched() {
        assertThat(s3.rawKeys(bucket)).filteredOn(k -> !k.startsWith(PREFIX + "/")).containsExactlyElementsOf(OUTSIDE.stream().sorted().toList());
    }

    @Test
    void describeIsTheS3UriOfBucketAndPrefix() {
        assertThat(store.describe()).isEqualTo("s3://" + bucket + "/" + PREFIX);
    }
}
