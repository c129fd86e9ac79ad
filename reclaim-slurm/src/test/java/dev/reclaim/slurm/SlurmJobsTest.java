package dev.reclaim.slurm;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jobs.BatchJob;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobFilter;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.jobs.external.ExternalState;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.RealSlurm;
import dev.reclaim.worker.WorkerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Batch jobs on a real single-node Slurm ({@code .ci/slurm-up}): every status the job API has,
 * reached through Slurm, with outputs, console output, cancel and cleanup as for local jobs. With
 * {@code RECLAIM_REQUIRE_SLURM=1} (CI) a missing Slurm fails the tests, else they are skipped.
 */
class SlurmJobsTest {
    private static final String QUEUE = "slurm";

    @TempDir
    Path tmp;
    Reclaim reclaim;

    @BeforeAll
    static void slurmRuns() throws IOException, InterruptedException {
        RealSlurm.require();
    }

    @BeforeEach
    void open() {
        // Slurm runs in real time, so Reclaim does too; the staging folder is where Slurm's jobs write
        reclaim = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.open(tmp.resolve("artifacts"))).clock(Clock.systemUTC())
                .stagingRoot(tmp.resolve("staging"))
                .workerSettings(new WorkerSettings(1, Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(500),
                        Duration.ofSeconds(20), Duration.ofMillis(300), Duration.ofSeconds(5)))
                .executor(new SlurmExecutor()).build();
    }

    @AfterEach
    void close() {
        reclaim.close();
    }

    private JobHandle submit(String script, Map<String, String> options, boolean wait) {
        return reclaim.jobs().submit(new BatchJob(new CommandJob("t", "p", List.of("sh", "-c", script), Map.of(), null),
                SlurmExecutor.NAME, options), new ComputeContext(QUEUE, new JobOptions(wait, false, null)));
    }

    private JobStatus awaitStatus(String id, JobStatus... among) {
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200))
                .until(() -> Set.of(among).contains(reclaim.jobs().status(id)));
        return reclaim.jobs().status(id);
    }

    private void startMonitor() {
        reclaim.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));
    }

    @Test
    void aJobFinishesOnSlurmWithItsOutputsResultAndConsoleRegistered() {
        JobHandle h = submit("echo hello from slurm; echo 42 > $RECLAIM_OUTPUT/result.json; "
                + "printf w > $RECLAIM_OUTPUT/models/m.bin", Map.of(), true);

        assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
        assertThat(reclaim.jobs().results(h.id(), true, false).resultJson()).isEqualTo("42\n");
        assertThat(reclaim.tasks().liveArtifacts(h.id())).extracting(Artifact::kind, Artifact::name)
                .contains(tuple(ArtifactKind.MODEL, "m.bin"),
                        tuple(ArtifactKind.LOG, "console.log"));
        assertThat(reclaim.jobs().output(h.id())).contains("submitted to slurm as job").contains("hello from slurm");
        assertThat(tmp.resolve("staging").toFile().list()).isEmpty();
    }

    @Test
    void aFailingCommandIsFailedWithItsExitCode() {
        JobHandle h = submit("echo about to fail; exit 3", Map.of(), true);

        Task t = reclaim.tasks().get(h.id());
        assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
        assertThat(t.exitCode()).isEqualTo(3);
        assertThat(reclaim.jobs().output(h.id())).contains("about to fail");
    }

    @Test
    void aJobWaitingForTheNodeIsQueuedThenRunsWhenTheNodeIsFree() {
        startMonitor();
        JobHandle blocker = submit("sleep 60", Map.of("cpus", "2"), false);
        awaitStatus(blocker.id(), JobStatus.RUNNING);
        JobHandle waiting = submit("echo ran", Map.of("cpus", "2"), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> reclaim.taskStore().externalJob(waiting.id())
                .map(j -> "PENDING".equals(j.state())).orElse(false));

        assertThat(reclaim.jobs().status(waiting.id())).isEqualTo(JobStatus.QUEUED);
        assertThat(reclaim.jobs().cancel(blocker.id())).isTrue();
        assertThat(awaitStatus(waiting.id(), JobStatus.FINISHED, JobStatus.FAILED)).isEqualTo(JobStatus.FINISHED);
        assertThat(reclaim.jobs().status(blocker.id())).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void theConsoleOutputIsReadableWhileTheJobRunsAndAnScancelFromOutsideCancelsIt() throws Exception {
        startMonitor();
        JobHandle h = submit("echo started; sleep 60", Map.of(), false);
        await().atMost(Duration.ofSeconds(60)).until(() -> reclaim.jobs().output(h.id()).contains("started"));
        assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.RUNNING);
        String slurmId = reclaim.taskStore().externalJob(h.id()).orElseThrow().externalId();

        Process scancel = new ProcessBuilder("scancel", slurmId).inheritIO().start();
        assertThat(scancel.waitFor()).isZero();

        assertThat(awaitStatus(h.id(), JobStatus.CANCELED, JobStatus.FAILED, JobStatus.FINISHED)).isEqualTo(JobStatus.CANCELED);
        assertThat(reclaim.tasks().get(h.id()).error()).contains("canceled in slurm");
    }

    @Test
    void cleanupFollowsTheJobRulesAndForceCancelsARunningJobInSlurmFirst() {
        JobHandle finished = submit("echo 1 > $RECLAIM_OUTPUT/result.json", Map.of(), true);
        CleanupReport kept = reclaim.jobs().cleanup(finished.id(), false, DeletionListener.NONE);
        CleanupReport deleted = reclaim.jobs().cleanup(finished.id(), true, DeletionListener.NONE);
        startMonitor();
        JobHandle running = submit("sleep 60", Map.of(), false);
        awaitStatus(running.id(), JobStatus.RUNNING);
        String slurmId = reclaim.taskStore().externalJob(running.id()).orElseThrow().externalId();

        CleanupReport forced = reclaim.jobs().cleanup(running.id(), true, DeletionListener.NONE);

        assertThat(kept.outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
        assertThat(deleted.outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
        assertThat(forced.outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
        assertThat(reclaim.jobs().status(running.id())).isEqualTo(JobStatus.MISSING);
        assertThat(new SlurmExecutor().states(List.of(slurmId)).get(slurmId).raw()).isIn("CANCELLED", null);
    }

    @Test
    void aJobPastItsTimeLimitIsFailedWithSlurmsReason() {
        JobHandle h = submit("echo long; sleep 300", Map.of("time", "1"), true);

        assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
        assertThat(reclaim.tasks().get(h.id()).error()).contains("TIMEOUT");
        assertThat(reclaim.jobs().output(h.id())).contains("long");
    }

    @Test
    void whileSlurmCannotBeAskedJobsKeepTheirStatusAndNothingIsLost() {
        try (Reclaim noSlurm = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(tmp.resolve("other.db")))
                .artifactStore(FileArtifactStore.open(tmp.resolve("other-artifacts"))).clock(Clock.systemUTC())
                .stagingRoot(tmp.resolve("other-staging"))
                .workerSettings(new WorkerSettings(1, Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(500),
                        Duration.ofSeconds(20), Duration.ofMillis(100), Duration.ofSeconds(5)))
                .executor(new SlurmExecutor(tmp.resolve("no-slurm-here"), Duration.ofSeconds(5))).build()) {
            var monitor = noSlurm.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));
            JobHandle h = noSlurm.jobs().submit(new BatchJob(new CommandJob("t", "p", List.of("true"), Map.of(), null),
                    SlurmExecutor.NAME, Map.of()), new ComputeContext(QUEUE, new JobOptions(false, false, null)));

            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.lastProblem() != null);

            assertThat(monitor.lastProblem()).contains("sbatch cannot be run").contains("slurm-client");
            assertThat(noSlurm.jobs().status(h.id())).isEqualTo(JobStatus.QUEUED);
            assertThat(noSlurm.taskStore().externalJob(h.id())).isEmpty(); // given back, to be submitted later
        }
    }

    @Test
    void aJobWhoseMonitorStoppedIsUndeterminedAndCleanupWithForceStopsItInSlurm() {
        try (Reclaim shortLease = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(tmp.resolve("lease.db")))
                .artifactStore(FileArtifactStore.open(tmp.resolve("lease-artifacts"))).clock(Clock.systemUTC())
                .stagingRoot(tmp.resolve("lease-staging"))
                .workerSettings(new WorkerSettings(1, Set.of(ComputeContext.DEFAULT_QUEUE), Duration.ofMillis(300),
                        Duration.ofSeconds(3), Duration.ofMillis(200), Duration.ofSeconds(5)))
                .executor(new SlurmExecutor()).build()) {
            var monitor = shortLease.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));
            JobHandle h = shortLease.jobs().submit(new BatchJob(new CommandJob("t", "p", List.of("sleep", "120"), Map.of(),
                    null), SlurmExecutor.NAME, Map.of()), new ComputeContext(QUEUE, new JobOptions(false, false, null)));
            await().atMost(Duration.ofSeconds(60)).until(() -> shortLease.jobs().status(h.id()) == JobStatus.RUNNING);
            String slurmId = shortLease.taskStore().externalJob(h.id()).orElseThrow().externalId();

            monitor.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> shortLease.jobs().status(h.id()) == JobStatus.UNDETERMINED);
            CleanupReport r = shortLease.jobs().cleanup(h.id(), true, DeletionListener.NONE);

            assertThat(r.outcome()).as(r.message()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(new SlurmExecutor().states(List.of(slurmId)).get(slurmId).phase())
                    .isIn(ExternalState.Phase.CANCELED, ExternalState.Phase.FORGOTTEN);
        }
    }

    @Test
    void aJobWhoseMonitorStoppedIsAdoptedByAnotherMonitorAndFinishes() throws Exception {
        var first = reclaim.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));
        JobHandle h = submit("echo first half; sleep 4; echo 5 > $RECLAIM_OUTPUT/result.json", Map.of(), false);
        awaitStatus(h.id(), JobStatus.RUNNING);

        first.close();
        var second = reclaim.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));

        assertThat(awaitStatus(h.id(), JobStatus.FINISHED, JobStatus.FAILED, JobStatus.UNDETERMINED))
                .isEqualTo(JobStatus.FINISHED);
        assertThat(reclaim.jobs().results(h.id(), false, false).resultJson()).isEqualTo("5\n");
        assertThat(reclaim.jobs().output(h.id())).contains("first half");
        assertThat(reclaim.tasks().get(h.id()).workerId()).isEqualTo(second.monitorId());
    }

    @Test
    void aJobWhoseNodeFailsIsFailedWithSlurmsReason() throws Exception {
        startMonitor();
        JobHandle h = submit("echo up; sleep 300", Map.of(), false);
        awaitStatus(h.id(), JobStatus.RUNNING);
        try {
            assertThat(new ProcessBuilder("pkill", "-9", "-x", "slurmd").inheritIO().start().waitFor()).isZero();

            assertThat(awaitStatus(h.id(), JobStatus.FAILED, JobStatus.FINISHED, JobStatus.CANCELED, JobStatus.UNDETERMINED))
                    .isEqualTo(JobStatus.FAILED);
            assertThat(reclaim.tasks().get(h.id()).error()).contains("NODE_FAIL");
        } finally {
            Path up = Path.of(System.getProperty("basedir", ".")).resolve("../.ci/slurm-up").normalize();
            assertThat(new ProcessBuilder("bash", up.toString()).inheritIO().start().waitFor()).as("restarting slurmd").isZero();
        }
    }

    @Test
    void badOptionsAreRefusedAtSubmissionAndNothingIsQueued() {
        assertThatThrownBy(() -> submit("true", Map.of("partition", "no such; thing"), false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("partition");
        assertThatThrownBy(() -> submit("true", Map.of("gpus", "1"), false))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("unknown Slurm option 'gpus'");
        assertThat(reclaim.jobs().list(JobFilter.all())).isEmpty();
    }

    @Test
    void aPartitionSlurmRejectsFailsTheJobSayingWhy() {
        JobHandle h = submit("true", Map.of("partition", "nosuch"), true);

        assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
        assertThat(reclaim.tasks().get(h.id()).error()).contains("sbatch refused the job").contains("partition");
    }
}
