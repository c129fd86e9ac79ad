package dev.reclaim.testkit;

import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ExternalJobs.ExternalJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@link dev.reclaim.store.ExternalJobs} rules: one monitor takes a job for submission; a job
 * given back can be taken again; a started job is claimed once; the record goes with its task.
 */
public abstract class ExternalJobsContract extends TaskStoreFixture {

    @Test
    void onlyOneMonitorTakesAQueuedJobAndAJobGivenBackCanBeTakenAgain() {
        Task t = insert(a.aQueuedJob("j", "slurm"));

        boolean first = store.takeForSubmission(t.id(), "slurm", "m1", clock.instant());
        boolean second = store.takeForSubmission(t.id(), "slurm", "m2", clock.instant());
        List<String> waiting = store.unsubmitted(List.of("slurm"), 10);
        store.releaseSubmission(t.id());

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(waiting).isEmpty();
        assertThat(store.unsubmitted(List.of("slurm"), 10)).containsExactly(t.id());
        assertThat(store.takeForSubmission(t.id(), "slurm", "m2", clock.instant())).isTrue();
        assertThat(store.externalJob(t.id())).get().extracting(ExternalJob::monitorId).isEqualTo("m2");
    }

    @Test
    void aSubmittedJobIsNotGivenBackAndKeepsItsReportedStateAndConsoleOffset() {
        Task t = insert(a.aQueuedJob("j", "slurm"));
        store.takeForSubmission(t.id(), "slurm", "m1", clock.instant());
        store.recordSubmitted(t.id(), "42", clock.instant());
        store.releaseSubmission(t.id()); // too late: the manager has it

        clock.advance(Duration.ofSeconds(5));
        store.recordState(t.id(), "PENDING", "Resources", clock.instant());
        store.recordConsoleOffset(t.id(), 17);

        ExternalJob j = store.externalJob(t.id()).orElseThrow();
        assertThat(j.externalId()).isEqualTo("42");
        assertThat(j.state()).isEqualTo("PENDING");
        assertThat(j.reason()).isEqualTo("Resources");
        assertThat(j.consoleOffset()).isEqualTo(17);
        assertThat(j.updatedAt()).isEqualTo(clock.instant());
        assertThat(store.activeExternalJobs("slurm", 10)).extracting(ExternalJob::taskId).containsExactly(t.id());
        assertThat(store.activeExternalJobs("other", 10)).isEmpty();
    }

    @Test
    void aStartedJobIsClaimedOnceAndAnEndedOneIsNoLongerActive() {
        Task t = insert(a.aQueuedJob("j", "slurm"));
        store.takeForSubmission(t.id(), "slurm", "m1", clock.instant());
        store.recordSubmitted(t.id(), "42", clock.instant());

        boolean claimed = store.claimStarted(t.id(), "m1", clock.instant(), clock.instant().plusSeconds(30));
        boolean again = store.claimStarted(t.id(), "m2", clock.instant(), clock.instant().plusSeconds(30));

        assertThat(claimed).isTrue();
        assertThat(again).isFalse();
        Task running = reload(t);
        assertThat(running.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(running.workerId()).isEqualTo("m1");
        assertThat(store.finishJob(t.id(), "m1", TaskStatus.COMPLETED, 0, null, List.of(), clock.instant())).isTrue();
        assertThat(store.activeExternalJobs("slurm", 10)).isEmpty();
    }

    @Test
    void aJobIsAdoptedOnceAndItsLeasePassesToTheNewMonitor() {
        Task t = insert(a.aQueuedJob("j", "slurm"));
        store.takeForSubmission(t.id(), "slurm", "old", clock.instant());
        store.recordSubmitted(t.id(), "42", clock.instant());
        store.claimStarted(t.id(), "old", clock.instant(), clock.instant().plusSeconds(1));
        clock.advance(Duration.ofSeconds(5));

        boolean adopted = store.adoptExternalJob(t.id(), "old", "new", clock.instant(), clock.instant().plusSeconds(30));
        boolean again = store.adoptExternalJob(t.id(), "old", "third", clock.instant(), clock.instant().plusSeconds(30));

        assertThat(adopted).isTrue();
        assertThat(again).isFalse();
        assertThat(store.externalJob(t.id())).get().extracting(ExternalJob::monitorId).isEqualTo("new");
        Task running = reload(t);
        assertThat(running.workerId()).isEqualTo("new");
        assertThat(running.leaseExpiresAt()).isEqualTo(clock.instant().plusSeconds(30));
    }

    @Test
    void theRecordGoesWithItsTask() {
        Task t = insert(a.aQueuedJob("j", "slurm"));
        store.takeForSubmission(t.id(), "slurm", "m1", clock.instant());
        store.recordSubmitted(t.id(), "42", clock.instant());

        assertThat(store.markForDeletion(whole(reload(t))).outcome().name()).isEqualTo("MARKED");
        purge(List.of(t.id()));
        store.finishDeletion(t.id(), clock.instant()).orElseThrow();

        assertThat(store.externalJob(t.id())).isEmpty();
    }
}
