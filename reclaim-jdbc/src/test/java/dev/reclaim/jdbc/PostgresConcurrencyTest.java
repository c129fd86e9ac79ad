package dev.reclaim.jdbc;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.testkit.Concurrently;
import dev.reclaim.testkit.SettableClock;
import dev.reclaim.testkit.TestTasks;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Races on PostgreSQL, where write transactions really run at the same time: several threads,
 * each on its own pooled connection, and two stores (two pools, as two processes would have).
 */
class PostgresConcurrencyTest {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    static final int THREADS = 8;

    private final SettableClock clock = new SettableClock();
    private final TestTasks a = new TestTasks(clock);
    private JdbcTaskStore first;
    private JdbcTaskStore second;

    @BeforeEach
    void open() {
        first = PG.emptyStore();
        second = JdbcTaskStore.openPostgres(PG.url(), null, null, THREADS / 2);
    }

    @AfterEach
    void close() {
        second.close();
        first.close();
    }

    private JdbcTaskStore store(int thread) {
        return thread % 2 == 0 ? first : second;
    }

    @Test
    void manyClaimersClaimEachOf500QueuedJobsExactlyOnce() throws Exception {
        int jobs = 500;
        List<Task> queued = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            queued.add(a.aQueuedJob("job" + i, i % 2 == 0 ? "even" : "odd").build());
        }
        first.insertTasks(queued);
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        Instant now = clock.instant();
        List<Callable<Void>> claimers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            JdbcTaskStore store = store(i);
            String worker = "w" + i;
            claimers.add(() -> {
                Optional<Task> t;
                while ((t = store.claimNext(List.of("even", "odd"), worker, now, now.plusSeconds(60))).isPresent()) {
                    assertThat(t.get().workerId()).isEqualTo(worker);
                    claimed.add(t.get().id());
                }
                return null;
            });
        }
        Concurrently.run(claimers);
        assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(first.count(TaskQuery.builder().statuses(List.of(TaskStatus.RUNNING)).build())).isEqualTo(jobs);
    }

    @Test
    void ofTwoConcurrentLeaseAcquisitionsExactlyOneWins() throws Exception {
        Instant now = clock.instant();
        for (int round = 0; round < 50; round++) {
            String lease = "cleanup-" + round;
            CyclicBarrier together = new CyclicBarrier(2);
            ConcurrentLinkedQueue<String> winners = new ConcurrentLinkedQueue<>();
            List<Callable<Void>> contenders = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                JdbcTaskStore store = store(i);
                String holder = "holder" + i;
                contenders.add(() -> {
                    together.await();
                    if (store.tryAcquireLease(lease, holder, now, now.plusSeconds(60))) {
                        winners.add(holder);
                    }
                    return null;
                });
            }
            Concurrently.run(contenders);
            assertThat(winners).as("winners of round %d", round).hasSize(1);
            assertThat(first.lease(lease)).get().extracting(l -> l.holder()).isEqualTo(winners.peek());
        }
    }

    @Test
    void concurrentPurgersClaimEachPendingDeleteOnce() throws Exception {
        Instant now = clock.instant();
        int tasks = 100;
        for (int i = 0; i < tasks; i++) {
            Task t = a.aTask("t" + i).build();
            first.insertTask(t);
            first.insertArtifacts(List.of(a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t" + i + "/a", 1),
                    a.anArtifact(t.id(), ArtifactKind.ARTIFACT, "t" + i + "/b", 1)));
            first.markForDeletion(DeletionMark.wholeTask(t.id(), 0).because("test", "purge race", now));
        }
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        List<Callable<Void>> purgers = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            JdbcTaskStore store = store(i);
            purgers.add(() -> {
                List<PendingDelete> batch;
                while (!(batch = store.claimPendingDeletes(null, 7, now, now.plusSeconds(300))).isEmpty()) {
                    batch.forEach(e -> claimed.add(e.id()));
                }
                return null;
            });
        }
        Concurrently.run(purgers);
        assertThat(claimed).hasSize(2 * tasks).doesNotHaveDuplicates();
    }

    @Test
    void twoTasksSharingAKeyMarkedAtOnceQueueTheKeyExactlyOnce() throws Exception {
        Instant now = clock.instant();
        for (int round = 0; round < 30; round++) {
            String key = "shared/" + round;
            Task x = a.aTask("x" + round).build();
            Task z = a.aTask("z" + round).build();
            first.insertTasks(List.of(x, z));
            first.insertArtifacts(List.of(a.anArtifact(x.id(), ArtifactKind.ARTIFACT, key, 5),
                    a.anArtifact(z.id(), ArtifactKind.ARTIFACT, key, 5)));
            CyclicBarrier together = new CyclicBarrier(2);
            ConcurrentLinkedQueue<MarkResult> results = new ConcurrentLinkedQueue<>();
            List<Callable<Void>> markers = new ArrayList<>();
            List<Task> both = List.of(x, z);
            for (int i = 0; i < 2; i++) {
                JdbcTaskStore store = store(i);
                Task t = both.get(i);
                markers.add(() -> {
                    together.await();
                    results.add(store.markForDeletion(DeletionMark.wholeTask(t.id(), 0).because("test", "race", now)));
                    return null;
                });
            }
            Concurrently.run(markers);
            // never zero (the object would be orphaned), never twice
            assertThat(results.stream().mapToLong(r -> r.queuedKeys().size()).sum()).as("round %d", round).isEqualTo(1);
        }
    }
}
