package dev.reclaim.bench;

import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Deleting N objects from S3 with {@link S3ArtifactStore#deleteBatch} (DeleteObjects, 1,000 keys a
 * request, 4 requests at once) against one DeleteObject request per object on the same 4 threads, in
 * one run, on an in-process S3Proxy (filesystem blob store in a scratch folder). Both sets are put
 * first under two prefixes; request counts come from an SDK interceptor.
 */
final class S3DeleteBench implements Bench {
    private static final String ACCESS = "bench";
    private static final String SECRET = "bench-secret";
    private static final String BUCKET = "reclaim-bench";
    private static final int THREADS = S3ArtifactStore.DEFAULT_DELETE_CONCURRENCY;

    @Override
    public String description() {
        return "S3 deleteBatch (DeleteObjects x1,000) vs one DeleteObject per object on in-process S3Proxy (--objects 100000)";
    }

    @Override
    public void run(Options o) throws Exception {
        int n = o.integer("objects", 100_000);
        Path dir = o.dir("reclaim-bench-s3");
        Path blobs = Files.createDirectories(dir.resolve("blobs"));
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new FilesystemNio2BlobStore(blobs.toString()))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS, SECRET)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        Counter requests = new Counter();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (S3Client raw = client(endpoint, requests);
             S3ArtifactStore store = S3ArtifactStore.builder().bucket(BUCKET).prefix("bench").endpointOverride(endpoint)
                     .pathStyleAccess(true).credentials(ACCESS, SECRET).addExecutionInterceptor(requests).build()) {
            raw.createBucket(r -> r.bucket(BUCKET));
            List<String> keys = IntStream.range(0, n).mapToObj(i -> String.format("t%05d/f%d", i / 10, i % 10)).toList();
            long setup = System.nanoTime();
            byte[] content = new byte[100];
            parallel(pool, keys, k -> {
                raw.putObject(r -> r.bucket(BUCKET).key("bench/batch/" + k), RequestBody.fromBytes(content));
                raw.putObject(r -> r.bucket(BUCKET).key("bench/single/" + k), RequestBody.fromBytes(content));
            });
            System.out.printf("s3delete: %,d objects x 2 prefixes on S3Proxy 4.1.0 (filesystem blob store), %d threads "
                    + "(%.1f s to put them)%n", n, THREADS, (System.nanoTime() - setup) / 1e9);

            requests.reset();
            long start = System.nanoTime();
            List<DeleteOutcome> outcomes = store.deleteBatch(keys.stream().map(k -> "batch/" + k).toList());
            double batchSeconds = (System.nanoTime() - start) / 1e9;
            long deleted = outcomes.stream().filter(d -> d.status() == DeleteOutcome.Status.DELETED).count();
            if (deleted != n) {
                throw new IllegalStateException("deleteBatch deleted " + deleted + " of " + n + ": "
                        + outcomes.stream().filter(d -> !d.gone()).findFirst().orElse(null));
            }
            Map<String, Integer> batchRequests = requests.snapshot();

            requests.reset();
            start = System.nanoTime();
            parallel(pool, keys, k -> raw.deleteObject(r -> r.bucket(BUCKET).key("bench/single/" + k)));
            double singleSeconds = (System.nanoTime() - start) / 1e9;
            Map<String, Integer> singleRequests = requests.snapshot();

            AtomicInteger left = new AtomicInteger();
            store.list("", i -> left.incrementAndGet());
            if (left.get() != 0) {
                throw new IllegalStateException(left.get() + " objects left after both deletes");
            }
            System.out.printf("  deleteBatch:                 %7.2f s  %,9.0f objects/s  requests %s%n",
                    batchSeconds, n / batchSeconds, batchRequests);
            System.out.printf("  one DeleteObject per object: %7.2f s  %,9.0f objects/s  requests %s%n",
                    singleSeconds, n / singleSeconds, singleRequests);
            System.out.printf("  ratio per-object / batch:    %7.1fx faster, %.0fx fewer requests%n", singleSeconds / batchSeconds,
                    (double) total(singleRequests) / total(batchRequests));
        } finally {
            pool.shutdownNow();
            proxy.stop();
            Scratch.delete(dir);
        }
    }

    private static S3Client client(URI endpoint, ExecutionInterceptor interceptor) {
        return S3Client.builder().httpClientBuilder(ApacheHttpClient.builder()).endpointOverride(endpoint).forcePathStyle(true)
                .region(Region.US_EAST_1).overrideConfiguration(c -> c.addExecutionInterceptor(interceptor))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS, SECRET))).build();
    }

    private static void parallel(ExecutorService pool, List<String> keys, Consumer<String> action) throws Exception {
        int per = (keys.size() + THREADS - 1) / THREADS;
        List<Future<?>> parts = IntStream.range(0, THREADS)
                .mapToObj(t -> keys.subList(Math.min(keys.size(), t * per), Math.min(keys.size(), (t + 1) * per)))
                .<Future<?>>map(part -> pool.submit(() -> part.forEach(action)))
                .toList();
        for (Future<?> f : parts) {
            f.get();
        }
    }

    private static int total(Map<String, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** HTTP requests per S3 operation, retries included. */
    private static final class Counter implements ExecutionInterceptor {
        private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            counts.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
        }

        void reset() {
            counts.clear();
        }

        Map<String, Integer> snapshot() {
            Map<String, Integer> m = new TreeMap<>();
            counts.forEach((k, v) -> m.put(k, v.intValue()));
            return m;
        }
    }
}
