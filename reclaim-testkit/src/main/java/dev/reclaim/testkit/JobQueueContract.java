package dev.reclaim.testkit;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.JobQueue} rules: a queued job is claimed by one worker, its lease
 * renewed only by that worker, and it ends once, making its outputs live; its console is kept.
 */
public abstract class JobQueueContract extends TaskStoreFixture {
    @Test
    void claimNextTakesTheOldestQueuedTaskOfTheGivenQueues() {
        Task elsewhere = insert(a.aQueuedJob("other queue", "q3"));
        Task first = insert(a.aQueuedJob("first", "q1"));
        insert(a.aTask("draft").queue("q1"));
        Task second = insert(a.aQueuedJob("second", "q2"));
        Instant now = clock.instant();
        Instant until = now.plusSeconds(30);

        Task claimed = store.claimNext(List.of("q1", "q2"), "w1", now, until).orElseThrow();

        assertThat(claimed.id()).isEqualTo(first.id());
        assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(claimed.workerId()).isEqualTo("w1");
        assertThat(claimed.startedAt()).isEqualTo(now);
        assertThat(claimed.statusChangedAt()).isEqualTo(now);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(until);
        assertThat(claimed.version()).isEqualTo(first.version() + 1);
        assertThat(store.claimNext(List.of("q1", "q2"), "w1", now, until)).get().extracting(Task::id).isEqualTo(second.id());
        assertThat(store.claimNext(List.of("q1", "q2"), "w1", now, until)).isEmpty();
        assertThat(store.claimNext(List.of(), "w1", now, until)).isEmpty();
        assertThat(reload(elsewhere).status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void claimBatchTakesAtMostTheGivenNumberOfTheOldestQueuedTasks() {
        Task elsewhere = insert(a.aQueuedJob("other queue", "q3"));
        Task first = insert(a.aQueuedJob("first", "q1"));
        insert(a.aTask("draft").queue("q1"));
        Task second = insert(a.aQueuedJob("second", "q2"));
        Task third = insert(a.aQueuedJob("third", "q1"));
        Instant now = clock.instant();
        Instant until = now.plusSeconds(30);

        List<Task> claimed = store.claimBatch(List.of("q1", "q2"), "w1", now, until, 2);

        assertThat(claimed).extracting(Task::id).containsExactly(first.id(), second.id());
        assertThat(claimed).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(t.workerId()).isEqualTo("w1");
            assertThat(t.startedAt()).isEqualTo(now);
            assertThat(t.statusChangedAt()).isEqualTo(now);
            assertThat(t.leaseExpiresAt()).isEqualTo(until);
        });
        assertThat(claimed.get(0).version()).isEqualTo(first.version() + 1);
        assertThat(claimed).containsExactly(reload(first), reload(second));
        assertThat(store.claimBatch(List.of("q1", "q2"), "w1", now, until, 5)).extracting(Task::id).containsExactly(third.id());
        assertThat(store.claimBatch(List.of("q1", "q2"), "w1", now, until, 5)).isEmpty();
        assertThat(reload(elsewhere).status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void claimBatchClaimsNothingForNoQueuesOrAMaximumBelowOne() {
        Task job = insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();

        assertThat(store.claimBatch(List.of(), "w", now, now.plusSeconds(30), 3)).isEmpty();
        assertThat(store.claimBatch(List.of("q"), "w", now, now.plusSeconds(30), 0)).isEmpty();
        assertThat(reload(job).status()).isEqualTo(TaskStatus.QUEUED);
    }

    @Test
    void claimBatchSkipsAQueuedTaskBeingDeleted() {
        Task doomed = insert(a.aQueuedJob("doomed", "q"));
        Task kept = insert(a.aQueuedJob("kept", "q"));
        store.markForDeletion(whole(doomed));

        assertThat(store.claimBatch(List.of("q"), "w", clock.instant(), clock.instant().plusSeconds(30), 2))
                .extracting(Task::id).containsExactly(kept.id());
    }

    @Test
    void concurrentBatchClaimersNeverClaimATaskTwice() throws Exception {
        claimConcurrentlyAndCheckNoneTwice((worker, now) ->
                store.claimBatch(List.of("even", "odd"), "w" + worker, now, now.plusSeconds(60), 3));
    }

    @Test
    void aQueuedTaskBeingDeletedIsNotClaimed() {
        Task job = insert(a.aQueuedJob("doomed", "q"));
        store.markForDeletion(whole(job));
        assertThat(store.claimNext(List.of("q"), "w", clock.instant(), clock.instant().plusSeconds(30))).isEmpty();
    }

    @Test
    void concurrentClaimersNeverClaimATaskTwice() throws Exception {
        claimConcurrentlyAndCheckNoneTwice((worker, now) ->
                store.claimNext(List.of("even", "odd"), "w" + worker, now, now.plusSeconds(60)).stream().toList());
    }

    /**
     * 60 queued jobs on two queues, 8 workers claiming with {@code claim} until it returns none:
     * every job is claimed exactly once and is RUNNING.
     */
    private void claimConcurrentlyAndCheckNoneTwice(BiFunction<Integer, Instant, List<Task>> claim) throws Exception {
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            insert(a.aQueuedJob("job" + i, i % 2 == 0 ? "even" : "odd"));
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        Instant now = clock.instant();
        runConcurrently(8, worker -> () -> {
            List<Task> batch;
            while (!(batch = claim.apply(worker, now)).isEmpty()) {
                batch.forEach(t -> claimed.add(t.id()));
            }
            return null;
        });
        assertThat(claimed).hasSize(jobs).doesNotHaveDuplicates();
        assertThat(store.count(q().statuses(List.of(TaskStatus.RUNNING)).build())).isEqualTo(jobs);
    }

    @Test
    void renewLeasesExtendsOnlyJobsStillRunningUnderTheWorker() {
        Instant now = clock.instant();
        for (int i = 0; i < 3; i++) {
            insert(a.aQueuedJob("job" + i, "q"));
        }
        Task mine = store.claimNext(List.of("q"), "w1", now, now.plusSeconds(10)).orElseThrow();
        Task theirs = store.claimNext(List.of("q"), "w2", now, now.plusSeconds(10)).orElseThrow();
        Task canceled = store.claimNext(List.of("q"), "w1", now, now.plusSeconds(10)).orElseThrow();
        store.replaceTask(canceled.withStatus(TaskStatus.CANCELED, now), canceled.version()).orElseThrow();
        Instant later = now.plusSeconds(60);

        Set<String> renewed = store.renewLeases("w1", List.of(mine.id(), theirs.id(), canceled.id(), "unknown"), later);

        assertThat(renewed).containsExactly(mine.id());
        assertThat(reload(mine).leaseExpiresAt()).isEqualTo(later);
        assertThat(reload(theirs).leaseExpiresAt()).isEqualTo(now.plusSeconds(10));
    }

    @Test
    void finishJobEndsTheJobAndMakesTheGivenPendingArtifactsLive() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact result = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        Artifact notGiven = add(a.aPendingArtifact(running.id(), ArtifactKind.ARTIFACT, "j/other", 10));
        Instant end = now.plusSeconds(5);

        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(result.id()), end)).isTrue();

        Task ended = reload(running);
        assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(ended.endedAt()).isEqualTo(end);
        assertThat(ended.statusChangedAt()).isEqualTo(end);
        assertThat(ended.exitCode()).isZero();
        assertThat(ended.leaseExpiresAt()).isNull();
        assertThat(ended.version()).isGreaterThan(running.version());
        assertThat(store.findArtifact(result.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.LIVE);
        assertThat(store.findArtifact(notGiven.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.PENDING);
        assertThat(store.finishJob(running.id(), "w", TaskStatus.FAILED, 1, "again", List.of(), end)).isFalse();
        assertThat(reload(running).status()).isEqualTo(TaskStatus.COMPLETED);
    }

    @Test
    void finishJobChangesNothingForAnotherWorkerOrACanceledJob() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));

        assertThat(store.finishJob(running.id(), "intruder", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();
        store.replaceTask(running.withStatus(TaskStatus.CANCELED, now), running.version()).orElseThrow();
        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();

        assertThat(reload(running).status()).isEqualTo(TaskStatus.CANCELED);
        assertThat(store.findArtifact(out.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.PENDING);
    }

    @Test
    void aJobBeingDeletedCanNeitherRenewItsLeaseNorEnd() {
        insert(a.aQueuedJob("job", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        store.markForDeletion(whole(running));

        assertThat(store.renewLeases("w", List.of(running.id()), now.plusSeconds(60))).isEmpty();
        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null, List.of(out.id()), now)).isFalse();
        assertThat(store.findArtifact(out.id())).get().extracting(Artifact::state).isEqualTo(ArtifactState.DELETING);
    }

    @Test
    void finishingAJobRecordsWhatWasStoredForItsOutputs() {
        insert(a.aQueuedJob("j", "q"));
        Instant now = clock.instant();
        Task running = store.claimNext(List.of("q"), "w", now, now.plusSeconds(30)).orElseThrow();
        Artifact out = add(a.aPendingArtifact(running.id(), ArtifactKind.RESULT, "j/result.json", 10));
        String sha = Sha256.of(new byte[12]);

        assertThat(store.finishJob(running.id(), "w", TaskStatus.COMPLETED, 0, null,
                Map.of(out.id(), new StoredObject(12, sha)), now)).isTrue();

        Artifact live = store.findArtifact(out.id()).orElseThrow();
        assertThat(live.state()).isEqualTo(ArtifactState.LIVE);
        assertThat(live.sizeBytes()).isEqualTo(12);
        assertThat(live.sha256()).isEqualTo(sha);
    }

    @Test
    void consoleChunksAreReadBackInOrder() {
        Task t = insert(a.aQueuedJob("job", "q"));
        Task quiet = insert(a.aTask("quiet"));
        store.appendConsole(t.id(), "one\n");
        store.appendConsole(t.id(), "two ");
        store.appendConsole(t.id(), "three\n");
        assertThat(store.readConsole(t.id())).isEqualTo("one\ntwo three\n");
        assertThat(store.readConsole(quiet.id())).isEmpty();
    }
}
