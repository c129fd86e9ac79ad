package dev.reclaim.s3;

import dev.reclaim.Problems;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.ObjectExistsException;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.model.StoredObject;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.utils.SdkAutoCloseable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An {@link ArtifactStore} in an S3 bucket (AWS or any S3-compatible service), under a key prefix:
 * storage key {@code a/b} is the object {@code <prefix>/a/b} ({@code a/b} when the prefix is empty).
 *
 * <p><b>Isolation.</b> Every key is validated by {@link dev.reclaim.store.StorageKeys#validate} before a
 * request is made, and a valid key cannot climb out of the prefix, so no object outside it is ever
 * read, written, listed or deleted. Listing skips objects under the prefix that are not valid
 * storage keys (folder markers other tools create, {@code a//b}). S3 has no folders, and the store
 * never creates folder-marker objects, so an emptied prefix leaves nothing behind.
 *
 * <p><b>Requests.</b> {@link #putFile} and {@link #putBytes} are one conditional PutObject each
 * ({@code If-None-Match: *}): S3 stores the object only if the key holds none, atomically, and
 * answers 412 otherwise, which is an {@link ObjectExistsException}; readers see no object or the
 * whole one. A server that ignores the condition (some S3-compatible ones) would replace the object;
 * Reclaim's task store still never gives one key to two writers. {@code putFileWithDigest} computes
 * the SHA-256 of the file while the SDK reads it for the upload; {@link #stat} is a HeadObject; {@link #delete} a HeadObject (to tell
 * whether it existed) then a DeleteObject; {@link #list} pages through ListObjectsV2 1,000 keys at a
 * time without holding them; {@link #deleteBatch} is one DeleteObjects per 1,000 keys, up to
 * {@link Builder#deleteConcurrency} at once, with a listing of the same key range to tell DELETED from
 * ABSENT (see {@code BatchDelete}). Throttling, 5xx and I/O errors are retried by the SDK's standard
 * retry strategy with exponential back-off ({@link Builder#maxAttempts}); what still fails is wrapped
 * in {@link StoreException} saying what failed and how to fix it.
 *
 * <p><b>Limits.</b> S3 keys are at most 1,024 bytes of UTF-8 including the prefix: a longer key cannot
 * be stored (a put throws), reads see no object and deletes report it absent. {@code putFile} with
 * {@code moveAllowed} uploads a copy and leaves the source in place: S3 cannot adopt a local file, and
 * the caller removes its staging files anyway.
 *
 * <p><b>Identity.</b> The root's marker ({@link dev.reclaim.store.RootMarker}) is the object
 * {@code <prefix>/.reclaim-root}, created with a conditional PutObject ({@code If-None-Match: *}) so
 * it is never replaced; like every name starting with {@code .reclaim} it is no storage key.
 *
 * <p>Call {@link #verifyAccess()} at start-up to fail early on a missing bucket or missing permissions.
 * Thread-safe.
 */
public final class S3ArtifactStore implements ArtifactStore {
    /** Attempts per request, the first included, before a failure is reported. */
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    /** DeleteObjects requests of one {@link #deleteBatch} in flight at once. */
    public static final int DEFAULT_DELETE_CONCURRENCY = 4;
    /** How long to wait for a TCP connection to the endpoint. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a read from an open connection may block. */
    public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(60);
    /** User metadata naming the put that stored an object (see {@code putNew}). */
    static final String PUT_TOKEN = "reclaim-put";
    /** Folder (under the prefix) of the probe objects {@link #verifyAccess()} writes and deletes at once. */
    public static final String PROBE_FOLDER = ".reclaim-probe";

    private final S3Location location;
    private final URI endpoint;
    private final S3Client s3;
    private final AwsCredentialsProvider credentials;
    private final S3Keys keys;
    private final S3Errors errors;
    private final ExecutorService deletePool;
    private final BatchDelete batchDelete;
    private final S3RootMarker marker;
    private final Absence absence;
    private final AtomicBoolean closed = new AtomicBoolean();

    private S3ArtifactStore(Builder b, S3Client s3, AwsCredentialsProvider credentials) {
        this.location = S3Location.of(b.bucket, b.prefix);
        this.endpoint = b.endpoint;
        this.s3 = s3;
        this.credentials = credentials;
        this.keys = new S3Keys(location.prefix());
        this.errors = new S3Errors(describe() + " (endpoint " + endpointName() + ")");
        AtomicInteger threadNumber = new AtomicInteger();
        this.deletePool = Executors.newFixedThreadPool(b.deleteConcurrency, r -> {
            Thread t = new Thread(r, "reclaim-s3-delete-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.batchDelete = new BatchDelete(s3, location.bucket(), keys, errors, deletePool);
        this.absence = new Absence(s3, location.bucket(), errors);
        this.marker = new S3RootMarker(s3, location.bucket(), keys, errors, absence);
    }

    /** A builder; {@link Builder#bucket} (or {@link Builder#location}) is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The bucket and prefix. */
    public S3Location location() {
        return location;
    }

    /** {@code s3://bucket/prefix} ({@code s3://bucket} for an empty prefix). */
    @Override
    public String describe() {
        return location.toString();
    }

    /**
     * Start-up check: the bucket exists and is reachable (HeadBucket), and objects can be written and
     * deleted under the prefix (a small probe object {@code <prefix>/.reclaim-probe/<uuid>} is put, then
     * deleted).
     *
     * @throws StoreException naming the bucket and endpoint, the reason (no such bucket, access denied,
     *                        bad credentials, endpoint unreachable) and how to fix it
     */
    public void verifyAccess() {
        checkOpen();
        String what = "S3 access check failed for bucket '" + location.bucket() + "' at " + endpointName();
        try {
            s3.headBucket(r -> r.bucket(location.bucket()));
        } catch (SdkException e) {
            throw new StoreException(what + ": " + S3Errors.reason(e), e);
        }
        // not a storage key (reserved names are none), so no key operation can list or touch a probe
        String probe = keys.root() + PROBE_FOLDER + "/" + UUID.randomUUID();
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(probe), RequestBody.fromBytes(new byte[]{'o', 'k'}));
        } catch (SdkException e) {
            throw new StoreException(what + ": cannot write " + probe + ": " + S3Errors.reason(e), e);
        }
        try {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(probe));
        } catch (SdkException e) {
            throw new StoreException(what + ": wrote " + probe + " but cannot delete it: " + S3Errors.reason(e)
                    + " (deleting artifacts needs s3:DeleteObject)", e);
        }
    }

    @Override
    public StoredObject putFileWithDigest(String key, Path source, boolean moveAllowed) {
        String objectKey = writableKey(key);
        Objects.requireNonNull(source, "source");
        Path src = source.toAbsolutePath();
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(src, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new StoreException("cannot read source file " + src + " for key '" + key + "': " + Problems.describe(e), e);
        }
        if (!a.isRegularFile()) {
            throw new InvalidArgumentException("source " + src + " is not a regular file (links are never followed)");
        }
        DigestingFile body = new DigestingFile(src, a.size());
        try {
            putNew(key, objectKey, RequestBody.fromContentProvider(body, a.size(), "application/octet-stream"),
                    " from " + src);
            return body.stored();
        } catch (UncheckedIOException e) {
            throw new StoreException("cannot read source file " + src + " for key '" + key + "': " + Problems.describe(e), e);
        }
    }

    @Override
    public void putBytes(String key, byte[] bytes) {
        String objectKey = writableKey(key);
        Objects.requireNonNull(bytes, "bytes");
        putNew(key, objectKey, RequestBody.fromBytes(bytes), "");
    }

    /**
     * One conditional PutObject ({@code If-None-Match: *}): S3 stores it only if the key holds no
     * object, atomically, so two racing puts store one. Each put carries a random token in its
     * metadata: when S3 answers 412 to a retry whose earlier attempt was stored but whose answer
     * was lost, the token tells that the object there is this put's own.
     */
    private void putNew(String key, String objectKey, RequestBody body, String from) {
        String token = UUID.randomUUID().toString();
        try {
            s3.putObject(r -> r.bucket(location.bucket()).key(objectKey).ifNoneMatch("*").metadata(Map.of(PUT_TOKEN, token)),
                    body);
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                Optional<HeadObjectResponse> there = head(key, objectKey);
                if (there.isPresent() && token.equals(there.get().metadata().get(PUT_TOKEN))) {
                    return;
                }
                throw new ObjectExistsException(key, "cannot store key '" + key + "' in " + describe() + ": an object is "
                        + "already there; the store never replaces what a key holds, so store the new bytes under a new key");
            }
            throw errors.wrap("store key '" + key + "'" + from, e);
        } catch (SdkException e) {
            throw errors.wrap("store key '" + key + "'" + from, e);
        }
    }

    @Override
    public InputStream open(String key) {
        String objectKey = readableKey(key);
        if (objectKey == null) {
            throw noObject(key);
        }
        try {
            return s3.getObject(r -> r.bucket(location.bucket()).key(objectKey));
        } catch (S3Exception e) {
            if (Absence.notFound(e)) {
                absence.confirm("open key '" + key + "'", e);
                throw noObject(key);
            }
            throw errors.wrap("open key '" + key + "'", e);
        } catch (SdkException e) {
            throw errors.wrap("open key '" + key + "'", e);
        }
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        String objectKey = readableKey(key);
        if (objectKey == null) {
            return Optional.empty();
        }
        return head(key, objectKey).map(h -> new ObjectInfo(key, h.contentLength(), h.lastModified()));
    }

    @Override
    public void list(String prefix, Consumer<ObjectInfo> sink) {
        String listPrefix = keys.listPrefix(prefix);
        Objects.requireNonNull(sink, "sink");
        checkOpen();
        try {
            // the paginator fetches the next page only when the previous one is consumed: memory stays flat
            for (S3Object o : s3.listObjectsV2Paginator(r -> r.bucket(location.bucket()).prefix(listPrefix)).contents()) {
                String key = keys.storageKeyOf(o.key());
                if (key != null) {
                    sink.accept(new ObjectInfo(key, o.size(), o.lastModified()));
                }
            }
        } catch (SdkException e) {
            throw errors.wrap("list '" + prefix + "'", e);
        }
    }

    /**
     * Deletes one object: a HeadObject to learn whether it exists, then a DeleteObject (S3's delete
     * succeeds either way). If another process deletes or writes the key in between, the answer may be
     * off for that race, never the deletion.
     */
    @Override
    public boolean delete(String key) {
        String objectKey = readableKey(key);
        if (objectKey == null) {
            return false;
        }
        boolean existed = head(key, objectKey).isPresent();
        try {
            s3.deleteObject(r -> r.bucket(location.bucket()).key(objectKey));
        } catch (SdkException e) {
            throw errors.wrap("delete key '" + key + "'", e);
        }
        return existed;
    }

    @Override
    public List<DeleteOutcome> deleteBatch(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        checkOpen();
        if (keys.isEmpty()) {
            return new ArrayList<>();
        }
        return batchDelete.run(keys);
    }

    @Override
    public Optional<String> readRootMarker() {
        checkOpen();
        return marker.read();
    }

    @Override
    public boolean createRootMarker(String text) {
        Objects.requireNonNull(text, "text");
        checkOpen();
        return marker.create(text);
    }

    @Override
    public List<String> rootEntries(int limit) {
        checkOpen();
        return marker.entries(limit);
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            deletePool.shutdown();
            s3.close();
            if (credentials instanceof SdkAutoCloseable c) {
                c.close();
            }
        }
    }

    @Override
    public String toString() {
        return "S3ArtifactStore[" + describe() + " at " + endpointName() + "]";
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Optional<HeadObjectResponse> head(String key, String objectKey) {
        try {
            return Optional.of(s3.headObject(r -> r.bucket(location.bucket()).key(objectKey)));
        } catch (S3Exception e) {
            if (Absence.notFound(e)) {
                absence.confirm("read the metadata of key '" + key + "'", e);
                return Optional.empty();
            }
            throw errors.wrap("read the metadata of key '" + key + "'", e);
        } catch (SdkException e) {
            throw errors.wrap("read the metadata of key '" + key + "'", e);
        }
    }

    /** The object key, or null when the key is too long to be an S3 object (so there is none). */
    private String readableKey(String key) {
        String objectKey = keys.objectKey(key);
        checkOpen();
        return S3Keys.fitsS3(objectKey) ? objectKey : null;
    }

    private String writableKey(String key) {
        String objectKey = keys.objectKey(key);
        checkOpen();
        if (!S3Keys.fitsS3(objectKey)) {
            throw new StoreException("cannot store key '" + key + "' in " + describe() + ": with the prefix it is longer than "
                    + S3Keys.MAX_OBJECT_KEY_BYTES + " bytes, the longest key S3 allows; use a shorter key or prefix");
        }
        return objectKey;
    }

    private StoreException noObject(String key) {
        return new StoreException("no object at key '" + key + "' in " + describe());
    }

    private String endpointName() {
        return endpoint != null ? endpoint.toString() : "AWS S3";
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new StoreException(describe() + " is closed");
        }
    }

    /** Settings of an {@link S3ArtifactStore}, validated as they are set. */
    public static final class Builder {
        private String bucket;
        private String prefix = "";
        private URI endpoint;
        private boolean pathStyle;
        private String region;
        private String accessKey;
        private String secretKey;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private int deleteConcurrency = DEFAULT_DELETE_CONCURRENCY;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration socketTimeout = DEFAULT_SOCKET_TIMEOUT;
        private final List<ExecutionInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /** The bucket (required); must follow S3's bucket naming rules. */
        public Builder bucket(String bucket) {
            String problem = S3Location.bucketProblem(bucket);
            if (problem != null) {
                throw new InvalidArgumentException(problem);
            }
            this.bucket = bucket;
            return this;
        }

        /**
         * The key prefix every object of the store lives under; default "" (the whole bucket). Leading and
         * trailing slashes are dropped; the rest must be a valid storage key (no {@code ..}, no {@code //}).
         */
        public Builder prefix(String prefix) {
            this.prefix = S3Keys.normalisePrefix(prefix);
            return this;
        }

        /** Bucket and prefix at once, e.g. from {@link S3Location#parse}. */
        public Builder location(S3Location location) {
            Objects.requireNonNull(location, "location");
            this.bucket = location.bucket();
            this.prefix = location.prefix();
            return this;
        }

        /**
         * The endpoint of an S3-compatible service ({@code http://localhost:9000}); default none: AWS S3
         * itself, found from the region.
         */
        public Builder endpointOverride(URI endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!("http".equalsIgnoreCase(endpoint.getScheme()) || "https".equalsIgnoreCase(endpoint.getScheme()))
                    || endpoint.getHost() == null) {
                throw new InvalidArgumentException("S3 endpoint '" + endpoint + "' must be an http:// or https:// URL with a host");
            }
            this.endpoint = endpoint;
            return this;
        }

        /**
         * Path-style requests ({@code http://host/bucket/key}) instead of virtual-hosted ones
         * ({@code http://bucket.host/key}); default false. Most S3-compatible servers need it.
         */
        public Builder pathStyleAccess(boolean pathStyle) {
            this.pathStyle = pathStyle;
            return this;
        }

        /**
         * The bucket's region, e.g. {@code eu-west-1}; default: {@code us-east-1} with an
         * {@link #endpointOverride}, otherwise the SDK's region chain ({@code AWS_REGION}, the profile,
         * instance metadata).
         */
        public Builder region(String region) {
            if (region == null || region.isBlank()) {
                throw new InvalidArgumentException("S3 region is empty; leave it unset for the default");
            }
            this.region = region;
            return this;
        }

        /**
         * Static credentials; default: the SDK's default chain (environment, system properties, profile,
         * container or instance role).
         */
        public Builder credentials(String accessKeyId, String secretAccessKey) {
            if (accessKeyId == null || accessKeyId.isBlank() || secretAccessKey == null || secretAccessKey.isEmpty()) {
                throw new InvalidArgumentException("S3 access key id and secret must both be given; leave both unset "
                        + "to use the default credentials chain");
            }
            this.accessKey = accessKeyId;
            this.secretKey = secretAccessKey;
            return this;
        }

        /**
         * Attempts per request including the first, 1 to 20; default {@link #DEFAULT_MAX_ATTEMPTS}.
         * Retried: throttling (503 SlowDown, 429), 5xx, clock skew and I/O errors, with exponential
         * back-off and jitter.
         */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 20) {
                throw new InvalidArgumentException("S3 maxAttempts must be 1 to 20, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /**
         * DeleteObjects requests (1,000 keys each) one {@code deleteBatch} runs at once, 1 to 64; default
         * {@link #DEFAULT_DELETE_CONCURRENCY}.
         */
        public Builder deleteConcurrency(int requests) {
            if (requests < 1 || requests > 64) {
                throw new InvalidArgumentException("S3 deleteConcurrency must be 1 to 64, was " + requests);
            }
            this.deleteConcurrency = requests;
            return this;
        }

        /** Time to open a connection, positive; default {@link #DEFAULT_CONNECT_TIMEOUT}. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /** Time a read may block on an open connection, positive; default {@link #DEFAULT_SOCKET_TIMEOUT}. */
        public Builder socketTimeout(Duration timeout) {
            this.socketTimeout = positive(timeout, "socketTimeout");
            return this;
        }

        /** Adds an SDK interceptor that sees every request (metrics, request counting in tests). */
        public Builder addExecutionInterceptor(ExecutionInterceptor interceptor) {
            interceptors.add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /**
         * Creates the store. No request is made: call {@link S3ArtifactStore#verifyAccess()} to check the
         * bucket and permissions.
         *
         * @throws InvalidArgumentException when no bucket was set
         * @throws StoreException           when the SDK client cannot be set up (no region found)
         */
        public S3ArtifactStore build() {
            if (bucket == null) {
                throw new InvalidArgumentException("S3 bucket is not set");
            }
            AwsCredentialsProvider creds = S3Clients.credentials(accessKey, secretKey);
            try {
                S3Client client = S3Clients.build(endpoint, region, pathStyle, creds, maxAttempts, connectTimeout,
                        socketTimeout, List.copyOf(interceptors));
                return new S3ArtifactStore(this, client, creds);
            } catch (SdkException e) {
                if (creds instanceof SdkAutoCloseable c) {
                    c.close();
                }
                throw new StoreException("cannot set up the S3 client for s3://" + bucket + ": " + S3Errors.reason(e), e);
            }
        }

        private static Duration positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidArgumentException("S3 " + name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
