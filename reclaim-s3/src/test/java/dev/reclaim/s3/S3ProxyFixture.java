package dev.reclaim.s3;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real S3 server per test JVM: S3Proxy 4.1.0 in-process over its in-memory ({@code transient})
 * blob store, on a free port, with signature checking on (AWS v2 or v4) so bad credentials are
 * refused as by S3. Each test gets its own bucket.
 *
 * <p>Public and in reclaim-s3's test-jar: the PostgreSQL + S3 crash test and the CLI's
 * multi-process test (whose child JVMs reach it over loopback) use it too.
 */
public final class S3ProxyFixture {
    public static final String ACCESS_KEY = "reclaim-access";
    public static final String SECRET_KEY = "reclaim-secret-key";

    private static S3ProxyFixture shared;
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3Client admin;

    private S3ProxyFixture() throws Exception {
        Properties p = new Properties();
        p.setProperty("jclouds.identity", ACCESS_KEY);
        p.setProperty("jclouds.credential", SECRET_KEY);
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("transient", p))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        admin = S3Client.builder()
                .httpClientBuilder(ApacheHttpClient.builder())
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized S3ProxyFixture shared() {
        if (shared == null) {
            try {
                shared = new S3ProxyFixture();
            } catch (Exception e) {
                throw new IllegalStateException("cannot start S3Proxy", e);
            }
            S3ProxyFixture s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.admin.close();
                    s.proxy.stop();
                } catch (Exception e) {
                    // JVM exiting
                }
            }));
        }
        return shared;
    }

    /**
     * A server of the caller's own, on another port, which the caller may {@link #stop} (to see what
     * a store does when its endpoint goes away); {@link #shared} is for everything else.
     */
    public static S3ProxyFixture startPrivate() {
        try {
            return new S3ProxyFixture();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Proxy", e);
        }
    }

    /** Stops this server: every request to it fails from now on. Never call it on {@link #shared}. */
    public void stop() {
        try {
            admin.close();
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop S3Proxy", e);
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client that sees the whole bucket, for checking what a store left there. */
    public S3Client admin() {
        return admin;
    }

    /** Creates a new, empty bucket. */
    public String newBucket() {
        String bucket = "reclaim-test-" + BUCKETS.incrementAndGet();
        admin.createBucket(r -> r.bucket(bucket));
        return bucket;
    }

    /** A store builder pointing at this server with good credentials. */
    public S3ArtifactStore.Builder store(String bucket, String prefix) {
        return S3ArtifactStore.builder()
                .bucket(bucket)
                .prefix(prefix)
                .endpointOverride(endpoint)
                .pathStyleAccess(true)
                .credentials(ACCESS_KEY, SECRET_KEY);
    }

    /** Every object key in the bucket, sorted, as S3 holds them. */
    public List<String> rawKeys(String bucket) {
        List<String> keys = new ArrayList<>();
        for (S3Object o : admin.listObjectsV2Paginator(r -> r.bucket(bucket)).contents()) {
            keys.add(o.key());
        }
        keys.sort(null);
        return keys;
    }

    public void putRaw(String bucket, String key) {
        admin.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromString(key));
    }
}
