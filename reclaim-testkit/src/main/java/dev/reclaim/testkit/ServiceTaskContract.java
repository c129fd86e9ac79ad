package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;
import dev.reclaim.tasks.Tasks;
import dev.reclaim.worker.WorkerPool;
import dev.reclaim.worker.WorkerSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The Cleanup Service as a task (docs/rules.md section 4): pre-loaded in every store, parameters
 * are its settings, enqueued on {@code services} and run by a worker in services mode, stopped
 * cleanly with {@code tasks stop}.
 */
public abstract class ServiceTaskContract extends ReclaimContract {

    private Task service() {
        return reclaim.tasks().get(ServiceTask.ID);
    }

    private WorkerPool servicesWorker() {
        return reclaim.startWorkers(new WorkerSettings(2, Set.of(ServiceTask.QUEUE), Duration.ofMillis(100),
                Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofSeconds(1)));
    }

    private void awaitDraft() {
        await().atMost(Duration.ofSeconds(30)).until(() -> service().status() == TaskStatus.CREATED);
    }

    @Test
    void everyStoreStartsWithTheCleanupServiceTaskAsADraftWithTheDefaultSettings() {
        Task t = service();
        assertThat(t.name()).isEqualTo("Cleanup Service");
        assertThat(t.project()).isEqualTo("DevOps");
        assertThat(t.type()).isEqualTo("service");
        assertThat(t.status()).isEqualTo(TaskStatus.CREATED);
        assertThat(t.params()).isEqualTo(new TreeMap<>(CleanupSettings.defaults().toMap()));
    }

    @Test
    void openingTheStoreAgainDoesNotCreateASecondServiceTask() {
        ServiceTask.ensure(tasks, clock.instant(), "other");
        ServiceTask.ensure(tasks, clock.instant(), "other");
        assertThat(tasks.count(TaskQuery.builder().projects(List.of("DevOps")).build())).isEqualTo(1);
        assertThat(service().owner()).isEqualTo("reclaim");
    }

    @Test
    void deletingItWithoutForceIsRefusedNamingTheSettingsThatWouldBeLost() {
        reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_threshold_days", "14"));
        DeleteResult r = reclaim.tasks().delete(ServiceTask.ID, DeleteOptions.DEFAULTS);
        assertThat(r.deleted()).isFalse();
        assertThat(r.needsForce()).isTrue();
        assertThat(r.error()).contains("Cleanup Service").contains("settings").contains("delete_threshold_days=14")
                .contains("force");
        assertThat(reclaim.tasks().deleteMany(List.of(ServiceTask.ID), DeleteOptions.DEFAULTS).anyNeedsForce())
                .isTrue();
        assertThat(service().params()).containsEntry("delete_threshold_days", "14");
    }

    @Test
    void deletingItWithForceDeletesItAndPutsAFreshOneWithTheDefaultSettingsInItsPlace() {
        reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_threshold_days", "14"));
        Task before = service();
        clock.advance(Duration.ofMinutes(1));
        DeleteResult r = reclaim.tasks().delete(ServiceTask.ID,
                new DeleteOptions(true, true, false));
        assertThat(r.deleted()).isTrue();
        Task fresh = service();
        assertThat(fresh.createdAt()).isAfter(before.createdAt());
        assertThat(fresh.status()).isEqualTo(TaskStatus.CREATED);
        assertThat(fresh.params()).isEqualTo(new TreeMap<>(CleanupSettings.defaults().toMap()));
    }

    @Test
    void cleaningItUpAsAJobNeedsForceAndSaysWhatWouldBeLost() {
        var report = reclaim.jobs().cleanup(List.of(ServiceTask.ID), false, DeletionListener.NONE).get(0);
        assertThat(report.outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
        assertThat(report.message()).contains("Cleanup Service").contains("settings");
        var forced = reclaim.jobs().cleanup(List.of(ServiceTask.ID), true, DeletionListener.NONE).get(0);
        assertThat(forced.outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
        assertThat(service().params()).isEqualTo(new TreeMap<>(CleanupSettings.defaults().toMap()));
    }

    @Test
    void itCannotBeArchivedSoNoCleanupRunCanDeleteIt() {
        var r = reclaim.tasks().archive(List.of(ServiceTask.ID)).get(0);
        assertThat(r.changed()).isFalse();
        assertThat(r.message()).contains("Cleanup Service");
        assertThat(service().isArchived()).isFalse();
    }

    @Test
    void itsParametersAreValidatedSettingsAndABadValueChangesNothing() {
        Task before = service();
        assertThatThrownBy(() -> reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_threshold_days", "-1")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("delete_threshold_days");
        assertThatThrownBy(() -> reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_treshold_days", "3")))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown setting");
        assertThat(service().version()).isEqualTo(before.version());

        reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_threshold_days", "7.5", "force_delete", "true"));
        assertThat(ServiceTask.settings(service().params()).deleteThresholdDays()).isEqualTo(7.5);
        assertThat(ServiceTask.settings(service().params()).forceDelete()).isTrue();
    }

    @Test
    void onlyTheServiceTaskCanBeEnqueuedAndOnlyAsADraft() {
        Task other = reclaim.tasks().create(new NewTask("t", null, null, null, Set.of(), null, Map.of()));
        assertThatThrownBy(() -> reclaim.tasks().enqueue(other.id(), ServiceTask.QUEUE))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("only the Cleanup Service task");
        assertThatThrownBy(() -> reclaim.tasks().enqueue(ServiceTask.ID, "bad queue!"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("queue name");
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);
        assertThat(service().status()).isEqualTo(TaskStatus.QUEUED);
        assertThatThrownBy(() -> reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("tasks stop");
        assertThatThrownBy(() -> reclaim.tasks().setParams(ServiceTask.ID, Map.of("force_delete", "true")))
                .as("settings stay fixed while it is queued or running")
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("draft");
    }

    @Test
    void stoppingAQueuedServiceTakesItOffTheQueue() {
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);
        assertThat(reclaim.tasks().stop(ServiceTask.ID)).isEqualTo(Tasks.StopOutcome.DEQUEUED);
        assertThat(service().status()).isEqualTo(TaskStatus.CREATED);
        assertThat(service().queue()).isNull();
        assertThat(reclaim.tasks().stop(ServiceTask.ID)).isEqualTo(Tasks.StopOutcome.NOT_RUNNING);
    }

    @Test
    void stoppingSomethingThatIsNotAServiceSaysHowToCancelAJob() {
        Task other = reclaim.tasks().create(new NewTask("t", null, null, null, Set.of(), null, Map.of()));
        assertThatThrownBy(() -> reclaim.tasks().stop(other.id()))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("jobs cancel");
    }

    @Test
    void aServicesWorkerRunsTheEnqueuedServiceOnceWithItsParametersAndTheRunBelongsToTheTask() throws Exception {
        Task old = archivedTask("old", null, TaskStatus.CREATED, 10, 40);
        Task young = archivedTask("young", null, TaskStatus.CREATED, 2, 40);
        reclaim.tasks().setParams(ServiceTask.ID, Map.of("delete_threshold_days", "5"));
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);

        servicesWorker();
        awaitDraft();

        assertThat(tasks.findTask(old.id())).isEmpty();
        assertThat(tasks.findTask(young.id())).isPresent();
        List<CleanupRun> history = reclaim.cleanup().history(10);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).serviceTaskId()).isEqualTo(ServiceTask.ID);
        assertThat(history.get(0).bytes()).isEqualTo(40);
        String console = tasks.readConsole(ServiceTask.ID);
        assertThat(console).contains("Cleanup Service started").contains("1 deleted").contains("40 bytes freed")
                .contains("run_as_service=true").contains("draft again");
        assertThat(service().error()).isNull();
        assertThat(service().workerId()).isNull();
    }

    @Test
    void asAServiceItRunsEveryPeriodUntilStoppedAndThenIsADraftAgain() {
        reclaim.tasks().setParams(ServiceTask.ID, Map.of("run_as_service", "true", "cleanup_period_in_days", "0.001"));
        // The service's clock moves only while fewer than 3 runs are recorded; then it waits in place,
        // so the lease stays valid and the stop is a clean one.
        sleeper = d -> {
            if (reclaim.cleanup().history(10).size() < 3) {
                clock.advance(d);
            } else {
                LockSupport.parkNanos(5_000_000);
            }
        };
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);
        servicesWorker();
        await().atMost(Duration.ofSeconds(30)).until(() -> reclaim.cleanup().history(10).size() >= 3);
        // the clock jumped while it ran; a heartbeat renews the lease against the paused clock
        await().atMost(Duration.ofSeconds(30)).until(() -> service().leaseExpiresAt().isAfter(clock.instant()));

        assertThat(reclaim.tasks().stop(ServiceTask.ID)).isEqualTo(Tasks.StopOutcome.STOPPING);
        awaitDraft();

        List<CleanupRun> runs = reclaim.cleanup().history(10);
        assertThat(runs).hasSize(3).allSatisfy(r -> assertThat(r.serviceTaskId()).isEqualTo(ServiceTask.ID));
        Duration period = Duration.ofMillis(86_400);
        assertThat(Duration.between(runs.get(1).startedAt(), runs.get(0).startedAt())).isEqualTo(period);
        assertThat(Duration.between(runs.get(2).startedAt(), runs.get(1).startedAt())).isEqualTo(period);
        assertThat(tasks.readConsole(ServiceTask.ID)).contains("next run at").contains("draft again");
        assertThat(service().systemTags()).doesNotContain(ServiceTask.STOP_REQUESTED);
        assertThat(service().error()).isNull();
    }

    @Test
    void aServiceWhoseWorkerShutsDownGoesBackOnItsQueue() {
        reclaim.tasks().setParams(ServiceTask.ID, Map.of("run_as_service", "true"));
        sleeper = d -> LockSupport.parkNanos(5_000_000);
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);
        WorkerPool pool = servicesWorker();
        await().atMost(Duration.ofSeconds(30)).until(() -> service().status() == TaskStatus.RUNNING);

        reclaim.stopWorkers(pool);

        assertThat(service().status()).isEqualTo(TaskStatus.QUEUED);
        assertThat(service().queue()).isEqualTo(ServiceTask.QUEUE);
        assertThat(tasks.readConsole(ServiceTask.ID)).contains("goes back on queue services");
    }

    @Test
    void aServiceWithBadParametersEndsAtOnceWithTheReason() {
        // parameters written around the validation, as an older version or a hand edit might leave them
        Task t = service();
        Map<String, String> bad = new TreeMap<>(t.params());
        bad.put("page_size", "0");
        tasks.replaceTask(t.toBuilder().params(bad).status(TaskStatus.QUEUED).queue(ServiceTask.QUEUE).build(), t.version());

        servicesWorker();
        awaitDraft();

        assertThat(service().error()).contains("page_size");
        assertThat(tasks.readConsole(ServiceTask.ID)).contains("not started");
        assertThat(reclaim.cleanup().history(10)).isEmpty();
    }

    @Test
    void stoppingAServiceWhoseWorkerDiedResetsIt() {
        reclaim.tasks().enqueue(ServiceTask.ID, ServiceTask.QUEUE);
        Instant now = clock.instant();
        tasks.claimNext(Set.of(ServiceTask.QUEUE), "dead-worker", now, now.plusSeconds(5));
        clock.advance(Duration.ofSeconds(10));

        assertThat(reclaim.tasks().stop(ServiceTask.ID)).isEqualTo(Tasks.StopOutcome.RESET);
        assertThat(service().status()).isEqualTo(TaskStatus.CREATED);
        assertThat(service().error()).contains("dead-worker");
    }
}
