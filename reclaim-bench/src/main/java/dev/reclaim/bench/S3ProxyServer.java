package dev.reclaim.bench;

import dev.reclaim.s3.S3ArtifactStore;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An S3Proxy in this process on a free loopback port, with its filesystem blob store in a scratch
 * folder and signatures checked, for the S3 benches: a real S3 server speaking HTTP, without a
 * network or an account.
 */
final class S3ProxyServer implements AutoCloseable {
    private static final String ACCESS = "bench";
    private static final String SECRET = "bench-secret";

    private final S3Proxy proxy;
    private final Path blobs;
    private final URI endpoint;

    private S3ProxyServer(S3Proxy proxy, Path blobs) {
        this.proxy = proxy;
        this.blobs = blobs;
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** Starts a server whose blob store lives in {@code blobs} (created if missing). */
    static S3ProxyServer start(Path blobs) throws Exception {
        Files.createDirectories(blobs);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        return new S3ProxyServer(proxy, blobs);
    }

    /** A plain SDK client of this server, its requests seen by {@code interceptor}. */
    S3Client client(ExecutionInterceptor interceptor) {
        return S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.US_EAST_1).overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
    }

    /** A store builder pointed at this server, its requests seen by {@code interceptor}; bucket and prefix still to set. */
    S3ArtifactStore.Builder store(ExecutionInterceptor interceptor) {
        return S3ArtifactStore.builder().endpointOverride(endpoint).pathStyleAccess(true).credentials(ACCESS, SECRET)
                .addExecutionInterceptor(interceptor);
    }

    /**
     * The folder the filesystem blob store keeps {@code bucket}'s objects in: object key {@code a/b}
     * is the file {@code a/b} under it, and a plain file written there is listed and deleted
     * as an object (without the ETag and content type a PUT would have recorded in its extended
     * attributes).
     */
    Path bucketFolder(String bucket) {
        return blobs.resolve(bucket);
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
