package dev.reclaim.bench;

import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * Deleting N objects from S3 with {@link S3ArtifactStore#deleteBatch} (DeleteObjects, 1,000 keys a
 * request, 4 requests at once) against one DeleteObject request per object on the same 4 threads, in
 * one run, on an in-process S3Proxy (filesystem blob store in a scratch folder). Both sets are put
 * first under two prefixes; request counts come from an SDK interceptor.
 */
final class S3DeleteBench implements Bench {
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
        S3Requests requests = new S3Requests();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try (S3ProxyServer server = S3ProxyServer.start(dir.resolve("blobs"));
             S3Client raw = server.client(requests);
             S3ArtifactStore store = server.store(requests).bucket(BUCKET).prefix("bench").build()) {
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
                    (double) S3Requests.total(singleRequests) / S3Requests.total(batchRequests));
        } finally {
            pool.shutdownNow();
            Scratch.delete(dir);
        }
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
}
