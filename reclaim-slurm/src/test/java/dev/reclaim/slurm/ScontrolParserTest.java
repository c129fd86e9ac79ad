package dev.reclaim.slurm;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScontrolParserTest {
    private static ScontrolParser.Job one(String fixture) {
        String id = Fixtures.read(fixture).substring("JobId=".length()).split(" ", 2)[0];
        return ScontrolParser.parseOne(id, 0, Fixtures.read(fixture), "").orElseThrow();
    }

    @Test
    void buildsTheCommandForOneJob() {
        assertThat(ScontrolParser.command("42")).containsExactly("scontrol", "show", "job", "-o", "42");
    }

    @Test
    void readsARunningJobWithItsNodeAndStdoutPath() {
        ScontrolParser.Job job = one("scontrol-running.txt");
        assertThat(job.jobId()).isEqualTo("1");
        assertThat(job.state()).isEqualTo(SlurmJobState.RUNNING);
        assertThat(job.reason()).isEqualTo("None");
        assertThat(job.exitCode()).isZero();
        assertThat(job.signal()).isZero();
        assertThat(job.nodeList()).isEqualTo("node01");
        assertThat(job.stdOut()).contains("/home/alice/reclaim-jobs/slurm-1.out");
        assertThat(job.fields()).containsEntry("TimeLimit", "00:01:00").containsEntry("Power", "")
                .containsEntry("TRES", "cpu=1,node=1,billing=1").containsEntry("AllocNode:Sid", "localhost:413");
    }

    @Test
    void readsACompletedJob() {
        ScontrolParser.Job job = one("scontrol-completed.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.COMPLETED);
        assertThat(job.exitCode()).isZero();
    }

    @Test
    void readsAFailedJobWithItsExitCodeAndReason() {
        ScontrolParser.Job job = one("scontrol-failed-exit-3.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.FAILED);
        assertThat(job.reason()).isEqualTo("NonZeroExitCode");
        assertThat(job.exitCode()).isEqualTo(3);
        assertThat(job.signal()).isZero();
    }

    @Test
    void readsATimedOutJobAsKilledBySigterm() {
        ScontrolParser.Job job = one("scontrol-timeout.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.TIMEOUT);
        assertThat(job.reason()).isEqualTo("TimeLimit");
        assertThat(job.exitCode()).isZero();
        assertThat(job.signal()).isEqualTo(15);
    }

    @Test
    void readsAHeldJobAsPendingWithNoNodes() {
        ScontrolParser.Job job = one("scontrol-held.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.PENDING);
        assertThat(job.reason()).isEqualTo("JobHeldUser");
        assertThat(job.nodeList()).isEmpty();
    }

    @Test
    void readsACancelledRunningJob() {
        ScontrolParser.Job job = one("scontrol-cancelled-running.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.CANCELLED);
        assertThat(job.signal()).isEqualTo(15);
    }

    @Test
    void readsAJobNameWithSpacesAndACustomOutputPath() {
        ScontrolParser.Job job = one("scontrol-cancelled-pending-name-with-spaces.txt");
        assertThat(job.fields()).containsEntry("JobName", "long job with spaces");
        assertThat(job.state()).isEqualTo(SlurmJobState.CANCELLED);
        assertThat(job.reason()).isEqualTo("Resources");
        assertThat(job.stdOut()).contains("/home/alice/reclaim-jobs/out-5.txt");
        assertThat(job.nodeList()).isEmpty();
    }

    @Test
    void readsAJobWhoseNodeFailedAsNodeFailWhenItMayNotBeRequeued() {
        ScontrolParser.Job job = one("scontrol-node-fail-no-requeue.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.NODE_FAIL);
        assertThat(job.reason()).isEqualTo("NodeDown");
        assertThat(job.fields()).containsEntry("Requeue", "0");
        assertThat(job.state().status()).isEqualTo(dev.reclaim.model.JobStatus.FAILED);
    }

    @Test
    void readsAJobWhoseNodeFailedAsPendingAgainWhenItMayBeRequeued() {
        ScontrolParser.Job job = one("scontrol-requeued-after-node-failure.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.PENDING);
        assertThat(job.reason()).isEqualTo("BeginTime");
        assertThat(job.fields()).containsEntry("Requeue", "1").containsEntry("Restarts", "1");
        assertThat(job.nodeList()).isEmpty();
    }

    @Test
    void readsAJobBeingCancelledAsCompletingWhichStillCountsAsRunning() {
        ScontrolParser.Job job = one("scontrol-completing-after-scancel.txt");
        assertThat(job.state()).isEqualTo(SlurmJobState.COMPLETING);
        assertThat(job.signal()).isEqualTo(15);
        assertThat(job.state().status()).isEqualTo(dev.reclaim.model.JobStatus.RUNNING);
    }

    @Test
    void describesWhatSlurmSaysForUsers() {
        assertThat(one("scontrol-failed-exit-3.txt").describe()).isEqualTo("FAILED (NonZeroExitCode), exit code 3");
        assertThat(one("scontrol-timeout.txt").describe()).isEqualTo("TIMEOUT (TimeLimit), signal 15");
        assertThat(one("scontrol-node-fail-no-requeue.txt").describe()).isEqualTo("NODE_FAIL (NodeDown)");
        assertThat(one("scontrol-completed.txt").describe()).isEqualTo("COMPLETED");
    }

    @Test
    void readsEveryJobOfTheAllJobsForm() {
        List<ScontrolParser.Job> jobs = ScontrolParser.parse(Fixtures.read("scontrol-all-jobs.txt"));
        assertThat(jobs).extracting(ScontrolParser.Job::jobId).containsExactly("1", "2", "3", "4", "5", "6");
        assertThat(jobs).extracting(ScontrolParser.Job::state).containsExactly(SlurmJobState.RUNNING,
                SlurmJobState.COMPLETED, SlurmJobState.FAILED, SlurmJobState.COMPLETED, SlurmJobState.CANCELLED,
                SlurmJobState.CANCELLED);
    }

    @Test
    void readsAJobSlurmForgotAsEmpty() {
        assertThat(ScontrolParser.parseOne("9999", 1, "", Fixtures.read("scontrol-unknown-job.stderr"))).isEmpty();
    }

    @Test
    void refusesAListOfIdsWhichScontrolWouldAnswerLikeAnUnknownId() {
        assertThatThrownBy(() -> ScontrolParser.command("3,4")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ScontrolParser.parseOne("3,4", 1, "", Fixtures.read("scontrol-two-ids.stderr")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'3,4'");
        assertThatThrownBy(() -> ScontrolParser.parseOne("3", 1, "", Fixtures.read("scontrol-two-ids.stderr")))
                .isInstanceOf(SlurmOutputException.class).hasMessageContaining("scontrol_print_job error");
    }

    @Test
    void reportsAnyOtherFailureWithWhatScontrolPrinted() {
        assertThatThrownBy(() -> ScontrolParser.parseOne("1", 1, "",
                "slurm_load_jobs error: Unable to contact slurm controller (connect failure)\n"))
                .isInstanceOf(SlurmOutputException.class).hasMessageContaining("Unable to contact");
    }

    @Test
    void rejectsAnswersForAnotherJobOrSeveralJobs() {
        String running = Fixtures.read("scontrol-running.txt");
        assertThatThrownBy(() -> ScontrolParser.parseOne("2", 0, running, ""))
                .isInstanceOf(SlurmOutputException.class).hasMessageContaining("[1]");
        assertThatThrownBy(() -> ScontrolParser.parseOne("1", 0, Fixtures.read("scontrol-all-jobs.txt"), ""))
                .isInstanceOf(SlurmOutputException.class).hasMessageContaining("6 job(s)");
        assertThat(ScontrolParser.parseOne("1", 0, running, "")).map(ScontrolParser.Job::jobId)
                .isEqualTo(Optional.of("1"));
    }

    @Test
    void rejectsMalformedLinesNamingThem() {
        String ok = Fixtures.read("scontrol-failed-exit-3.txt").strip();
        for (String bad : new String[] {
                "slurm_load_jobs error: Invalid job id specified",
                ok.replace("JobId=3", "JobId=x3"),
                ok.replace("JobState=FAILED", "JobState=FINISHED"),
                ok.replace("ExitCode=3:0", "ExitCode=3"),
                ok.replace(" Reason=NonZeroExitCode", ""),
                ok.replace(" NodeList=node01", ""),
                ok + " Reason=None"}) {
            assertThatThrownBy(() -> ScontrolParser.parse(bad)).as(bad)
                    .isInstanceOf(SlurmOutputException.class).hasMessageContaining("'" + bad + "'");
        }
    }
}
