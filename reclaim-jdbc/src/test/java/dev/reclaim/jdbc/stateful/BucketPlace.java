package dev.reclaim.jdbc.stateful;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A prefix of a bucket on S3Proxy (in this JVM); {@code ../x} names a key beside the prefix. */
final class BucketPlace implements Place {
    private final S3ProxyFixture s3;
    private final String bucket;
    private final String prefix;

    BucketPlace(S3ProxyFixture s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix;
    }

    @Override
    public ArtifactStore open() {
        return s3.store(bucket, prefix).build();
    }

    private String key(String name) {
        return name.startsWith("../") ? "beside-" + prefix + "/" + name.substring(3) : prefix + "/" + name;
    }

    @Override
    public void putForeign(String name, byte[] bytes) {
        s3.admin().putObject(r -> r.bucket(bucket).key(key(name)), RequestBody.fromBytes(bytes));
    }

    @Override
    public Optional<byte[]> read(String name) {
        try {
            return Optional.of(s3.admin().getObjectAsBytes(r -> r.bucket(bucket).key(key(name))).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<String> everything() {
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.admin().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/")).contents()) {
            keys.add(o.key().substring(prefix.length() + 1));
        }
        keys.sort(null);
        return keys;
    }
}
