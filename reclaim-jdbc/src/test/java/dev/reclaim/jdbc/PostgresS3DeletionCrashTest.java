package dev.reclaim.jdbc;

import dev.reclaim.s3.S3ProxyFixture;
import dev.reclaim.store.ArtifactStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The deletion crash test on the scale-out stores: PostgreSQL for tasks and S3 (S3Proxy, in this
 * JVM; the killed child reaches it over loopback) for objects. Each seed runs on a copy of the
 * template database and a copy of the template's objects under a prefix of its own, so a seed's
 * kill point cannot affect another seed. The task-store side is {@link PostgresDeletionCrashTest}'s.
 */
class PostgresS3DeletionCrashTest extends PostgresDeletionCrashTest {
    /**
     * Seeds run unless {@value DeletionCrashContract#SEEDS_PROPERTY} says otherwise. Preparing the
     * template takes about 22 s and a seed 10-21 s on a shared 2-core machine (3 seeds: 71 s; 8
     * seeds: 192 s under a load average of 5-7), so 8, the fewest that still spread kill points
     * over the run, keep the class near two to three minutes. Run {@code -Dreclaim.crash.seeds=20}
     * (or more) for the full set.
     */
    static final int DEFAULT_SEEDS = 8;
    private static final String TEMPLATE_PREFIX = "template";

    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final String bucket = s3.newBucket();
    /** The object prefix of each home (the databases are the superclass's). */
    private final Map<Path, String> prefixes = new HashMap<>();

    @Override
    protected int seedCount() {
        return Integer.getInteger(SEEDS_PROPERTY, DEFAULT_SEEDS);
    }

    @Override
    protected ArtifactStore openArtifactStore(Path home) {
        return s3.store(bucket, prefixes.computeIfAbsent(home, h -> TEMPLATE_PREFIX)).build();
    }

    /** Server-side copies (CopyObject) of every template object, a few at a time. */
    @Override
    protected void copyArtifactStore(Path template, Path home) throws Exception {
        String prefix = "seed-" + prefixes.size();
        prefixes.put(home, prefix);
        S3Client admin = s3.admin();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> copies = new ArrayList<>();
            for (S3Object o : admin.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(TEMPLATE_PREFIX + "/")).contents()) {
                String target = prefix + o.key().substring(TEMPLATE_PREFIX.length());
                copies.add(pool.submit(() -> admin.copyObject(r -> r.sourceBucket(bucket).sourceKey(o.key())
                        .destinationBucket(bucket).destinationKey(target))));
            }
            for (Future<?> f : copies) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Override
    protected List<String> childArtifactArgs(Path home) {
        return List.of("--s3", s3.endpoint().toString(), bucket, prefixes.get(home));
    }

    @Override
    protected Map<String, String> childEnvironment() {
        return Map.of("AWS_ACCESS_KEY_ID", S3ProxyFixture.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3ProxyFixture.SECRET_KEY);
    }

    /** Removes what the seed left (the keepers' objects), so the in-memory server does not grow seed by seed. */
    @Override
    protected void discardArtifactStore(Path home) {
        String prefix = prefixes.remove(home);
        List<ObjectIdentifier> left = new ArrayList<>();
        for (S3Object o : s3.admin().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + "/")).contents()) {
            left.add(ObjectIdentifier.builder().key(o.key()).build());
        }
        for (int i = 0; i < left.size(); i += 1000) {
            List<ObjectIdentifier> batch = left.subList(i, Math.min(left.size(), i + 1000));
            s3.admin().deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(batch)));
        }
    }
}
