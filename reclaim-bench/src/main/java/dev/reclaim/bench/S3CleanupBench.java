package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.store.CleanupRun;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Issue 22's end-to-end benchmark: the Cleanup Service as deployed for many cleaners, with the task
 * store on PostgreSQL (a database created for the run and dropped after it, as {@link PgCleanupBench}
 * does) and the artifacts in S3 ({@link S3ArtifactStore} against an in-process S3Proxy), over T
 * archived tasks with F 100-byte objects each. One cleanup run deletes them all; the bench reports
 * its time and the S3 requests it sent per 1,000 objects, by operation, counted by an SDK
 * interceptor on the store's client.
 *
 * <p>The catalog is built with bulk inserts, and the objects are written straight into S3Proxy's
 * filesystem blob store folder rather than PUT one request each: a PUT through S3Proxy costs
 * several times what writing the file does, and at the default size the PUTs would take far
 * longer than the cleanup being measured. S3Proxy lists and deletes such files as objects; the
 * run checks it by listing a page of them before the cleanup, and by requiring every object to
 * be reported deleted (not absent) and none left after it.
 */
final class S3CleanupBench implements Bench {
    private static final String BUCKET = "reclaim-bench";
    private static final String PREFIX = "reclaim";

    @Override
    public String description() {
        return "Cleanup Service on PostgreSQL + S3 (in-process S3Proxy) over T archived tasks x F objects, with S3 "
                + "requests per 1,000 objects; run with -Xmx512m (--tasks 100000 --files 10 --pg " + PgCleanupBench.DEFAULT_PG + ")";
    }

    @Override
    public void run(Options o) throws Exception {
        Heap.start();
        int taskCount = o.integer("tasks", 100_000);
        int files = o.integer("files", 10);
        String server = o.string("pg", PgCleanupBench.DEFAULT_PG);
        Path dir = o.dir("reclaim-bench-s3cleanup");
        String database = PgCleanupBench.createDatabase(server);
        S3Requests requests = new S3Requests();
        try (S3ProxyServer s3 = S3ProxyServer.start(dir.resolve("blobs")); S3Client raw = s3.client(requests)) {
            raw.createBucket(r -> r.bucket(BUCKET));
            Path objects = s3.bucketFolder(BUCKET).resolve(PREFIX);
            try (S3ArtifactStore store = s3.store(requests).bucket(BUCKET).prefix(PREFIX).build();
                 Reclaim r = Reclaim.builder()
                         .taskStore(JdbcTaskStore.openPostgres(PgCleanupBench.withDatabase(server, database)))
                         .artifactStore(store).stagingRoot(dir.resolve("staging")).build()) {
                long setup = System.nanoTime();
                PgCleanupBench.populate(r, objects, taskCount, files, Instant.now().minus(Duration.ofDays(40)));
                double build = seconds(setup);
                long expected = (long) taskCount * files;
                // one listing page (up to 1,000 keys), not all: listing a million here would cost more than the cleanup
                int visible = raw.listObjectsV2(l -> l.bucket(BUCKET).prefix(PREFIX + "/tasks/")).keyCount();
                if (visible != Math.min(expected, 1000)) {
                    throw new IllegalStateException("S3Proxy lists " + visible + " of the objects written into its folder");
                }
                System.out.printf("s3cleanup: %,d archived tasks x %d objects of 100 bytes on PostgreSQL + S3Proxy "
                        + "(filesystem blob store); built in %.1f s%n", taskCount, files, build);
                System.out.flush();

                requests.reset();
                long start = System.nanoTime();
                CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(30).forceDelete(true)
                        .ageBasis(AgeBasis.STATUS_CHANGED).build(), null, CleanupListener.NONE);
                double seconds = seconds(start);
                Map<String, Integer> sent = requests.snapshot();
                if (run.deleted() != taskCount || run.objects() != expected) {
                    throw new IllegalStateException("deleted " + run.deleted() + " of " + taskCount + " tasks and "
                            + run.objects() + " of " + expected + " objects");
                }
                AtomicLong left = new AtomicLong();
                store.list("tasks/", i -> left.incrementAndGet());
                long leftOnDisk = filesUnder(objects.resolve("tasks"));
                if (left.get() != 0 || leftOnDisk != 0) {
                    throw new IllegalStateException(left.get() + " objects listed and " + leftOnDisk
                            + " files left under tasks/ after the cleanup");
                }
                int deletes = sent.getOrDefault("DeleteObjects", 0);
                int lists = sent.getOrDefault("ListObjectsV2", 0);
                int others = S3Requests.total(sent) - deletes - lists;
                // --files 0 (tasks only, for comparison) deletes no object: its per-object figures print as 0
                double per = run.objects() == 0 ? 0 : 1000.0 / run.objects();
                System.out.printf("  cleanup: %8.1f s  %,9.0f objects/s  %,7.0f tasks/s  (%d tasks, %d objects, %d skipped)%n",
                        seconds, run.objects() / seconds, run.deleted() / seconds, run.deleted(), run.objects(), run.skipped());
                System.out.printf("  S3 requests per 1,000 objects: %.2f DeleteObjects, %.2f ListObjectsV2, %.2f others; "
                        + "all requests %s%n", deletes * per, lists * per, others * per, sent);
                System.out.printf("  peak heap in use (sampled every 20 ms): %d MB of %d MB max%n", Heap.peakUsedMb(),
                        Runtime.getRuntime().maxMemory() >> 20);
            }
        } finally {
            PgCleanupBench.dropDatabase(server, database);
            Scratch.delete(dir);
        }
    }

    /** Regular files under the folder, read on disk, beside the S3 listing (the store root marker lies outside tasks/). */
    private static long filesUnder(Path folder) throws Exception {
        if (!Files.exists(folder)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
