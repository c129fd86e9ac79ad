package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.FunctionJob;
import dev.reclaim.jobs.JobFilter;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.jobs.JobInfo;
import dev.reclaim.jobs.JobResults;
import dev.reclaim.jobs.ResultsUnavailableException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Page;
import dev.reclaim.store.ObjectInfo;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The job API contract (docs/rules.md section 2), run against every pair of backends. A subclass
 * supplies fresh, empty stores; the suite builds a {@link Reclaim} on them with a settable clock.
 */
public abstract class JobsContract extends ReclaimContract {
    /** A queue no worker serves: jobs submitted there without waiting stay QUEUED. */
    protected static final String UNSERVED = "unserved";

    @Override
    protected Instant clockStart() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    @Override
    protected int workerSlots() {
        return 2;
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected static final ComputeContext NO_WAIT = ComputeContext.local().withWait(false);

    /**
     * Submits a command job as this suite's executor runs it. Local workers by default; a suite for
     * a cluster manager sends it there, keeping the context's wait, options and (if not the
     * default) queue.
     */
    protected JobHandle submitCommand(CommandJob job, ComputeContext context) {
        return reclaim.jobs().submit(job, context);
    }

    /** Whether this executor runs Java function jobs; the tests only they can express are skipped if not. */
    protected boolean runsFunctionJobs() {
        return true;
    }

    /** How long a job may take from submission to RUNNING. */
    protected Duration startsWithin() {
        return Duration.ofSeconds(10);
    }

    /** What the error of {@link #failedJob()} says. */
    protected String failedJobError() {
        return "boom";
    }

    /**
     * Returns once no worker or manager runs the job any more (after a cancel or a forced cleanup).
     */
    protected void awaitStopped(JobHandle job) {
        await().atMost(Duration.ofSeconds(10)).until(() -> reclaim.pools().stream().allMatch(p -> p.runningJobIds().isEmpty()));
    }

    /**
     * A job that ends FINISHED returning {@code result} (an integer, a string or a map of numbers),
     * having printed {@code line} to its console when not null.
     */
    protected JobHandle jobReturning(Object result, String line, ComputeContext context) {
        return reclaim.jobs().submit(FunctionJob.of("r", ctx -> {
            if (line != null) {
                ctx.log(line);
            }
            return result;
        }), context);
    }

    /** A finished job that wrote a model, a debug sample and returned {@code result}. */
    protected JobHandle finishedJob(Object result) {
        return reclaim.jobs().submit(FunctionJob.of("train", ctx -> {
            ctx.log("epoch 1 done");
            ctx.writeArtifact(ArtifactKind.MODEL, "epoch-1.ckpt", new byte[]{1, 2, 3});
            ctx.writeArtifact(ArtifactKind.DEBUG_SAMPLE, "sample.html", "<p>hi</p>".getBytes());
            return result;
        }), ComputeContext.local());
    }

    /** A failed job that wrote {@code partial.csv} (an ARTIFACT) first; its error says {@link #failedJobError()}. */
    protected JobHandle failedJob() {
        return reclaim.jobs().submit(FunctionJob.of("broken", ctx -> {
            ctx.writeArtifact(ArtifactKind.ARTIFACT, "partial.csv", "a,b".getBytes());
            throw new IllegalStateException("boom");
        }), ComputeContext.local());
    }

    /** A job that runs until the latch opens, and has logged "started" and written a model by then. */
    protected JobHandle runningJob(CountDownLatch release) {
        JobHandle h = reclaim.jobs().submit(FunctionJob.of("long", ctx -> {
            ctx.log("started");
            ctx.writeArtifact(ArtifactKind.MODEL, "partial.ckpt", new byte[]{9});
            while (!release.await(10, TimeUnit.MILLISECONDS)) {
                if (ctx.isCanceled()) {
                    return "stopped";
                }
            }
            return "done";
        }), NO_WAIT);
        awaitRunning(h);
        return h;
    }

    /** Returns once the job is RUNNING, failing after {@link #startsWithin()}. */
    protected void awaitRunning(JobHandle h) {
        await().atMost(startsWithin()).until(() -> reclaim.jobs().status(h.id()) == JobStatus.RUNNING);
    }

    protected JobHandle queuedJob() {
        return submitCommand(new CommandJob("queued", null, List.of("true"), Map.of(), null), NO_WAIT.withQueue(UNSERVED));
    }

    /** A RUNNING job whose worker died: claimed by a worker that never renews, lease run out. */
    protected JobHandle undeterminedJob() {
        JobHandle h = queuedJob();
        Instant now = clock.instant();
        assertThat(tasks.claimNext(List.of(UNSERVED), "dead-worker", now, now.plusSeconds(1))).isPresent();
        clock.advance(Duration.ofSeconds(2));
        return h;
    }

    protected List<String> storedKeys() {
        List<String> keys = new ArrayList<>();
        artifacts.list("", (ObjectInfo o) -> keys.add(o.key()));
        return keys;
    }

    protected List<String> storedKeysOf(String jobId) {
        List<String> keys = new ArrayList<>();
        artifacts.list("tasks/" + jobId + "/", (ObjectInfo o) -> keys.add(o.key()));
        return keys;
    }

    // ---- submit, status, waitFor ------------------------------------------------------------

    @Nested
    class SubmitAndStatus {
        @Test
        void submitWaitsForTheEndByDefault() {
            JobHandle h = finishedJob(42);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
        }

        @Test
        void submitWithoutWaitReturnsWhileTheJobStillRuns() {
            CountDownLatch release = new CountDownLatch(1);
            JobHandle h = runningJob(release);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.RUNNING);
            release.countDown();
            assertThat(reclaim.jobs().waitFor(h.id())).isEqualTo(JobStatus.FINISHED);
        }

        @Test
        void aJobWithNoWorkerOnItsQueueIsQueued() {
            assertThat(reclaim.jobs().status(queuedJob().id())).isEqualTo(JobStatus.QUEUED);
        }

        @Test
        void aJobThatThrowsIsFailedWithItsError() {
            JobHandle h = failedJob();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
            assertThat(tasks.findTask(h.id()).orElseThrow().error()).contains(failedJobError());
        }

        @Test
        void aRunningJobWhoseLeaseRanOutIsUndetermined() {
            assertThat(reclaim.jobs().status(undeterminedJob().id())).isEqualTo(JobStatus.UNDETERMINED);
        }

        @Test
        void anUnknownIdIsMissingNotAnError() {
            assertThat(reclaim.jobs().status("000000000000ffffffffffffffff")).isEqualTo(JobStatus.MISSING);
            assertThat(reclaim.jobs().status("not-even-an-id")).isEqualTo(JobStatus.MISSING);
        }

        @Test
        void waitForTurnsANonWaitingJobIntoAWaitingOne() {
            JobHandle h = jobReturning("ok", null, NO_WAIT);
            assertThat(reclaim.jobs().waitFor(h.id())).isEqualTo(JobStatus.FINISHED);
        }

        @Test
        void waitForWithATimeoutReturnsTheCurrentStatusWhenTheJobIsStillQueued() {
            JobHandle h = queuedJob();
            assertThat(reclaim.jobs().waitFor(h.id(), Duration.ofMillis(100))).isEqualTo(JobStatus.QUEUED);
        }

        @Test
        void aCommandJobRegistersEachOutputFolderAsItsArtifactKind() {
            JobHandle h = submitCommand(new CommandJob("cmd", null, List.of("sh", "-c",
                    "mkdir -p $RECLAIM_OUTPUT/models $RECLAIM_OUTPUT/debug $RECLAIM_OUTPUT/artifacts;"
                            + " echo w > $RECLAIM_OUTPUT/models/m.ckpt; echo d > $RECLAIM_OUTPUT/debug/s.png;"
                            + " echo a > $RECLAIM_OUTPUT/artifacts/out.csv; echo '{\"acc\":0.9}' > $RECLAIM_OUTPUT/result.json;"
                            + " echo job=$RECLAIM_JOB_ID"), Map.of(), null), ComputeContext.local());
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            assertThat(tasks.artifactsOf(h.id())).extracting(Artifact::kind).containsExactlyInAnyOrder(
                    ArtifactKind.MODEL, ArtifactKind.DEBUG_SAMPLE, ArtifactKind.ARTIFACT, ArtifactKind.RESULT, ArtifactKind.LOG);
            assertThat(reclaim.jobs().output(h.id())).contains("job=" + h.id());
            assertThat(storedKeysOf(h.id())).hasSize(5);
        }

        @Test
        void outputFilesWhoseNamesCannotBeKeysAreReportedInTheJobsConsoleAndTheRestIsKept() {
            JobHandle h = submitCommand(new CommandJob("cmd", null, List.of("sh", "-c",
                    "mkdir -p $RECLAIM_OUTPUT/artifacts; echo a > \"$RECLAIM_OUTPUT/artifacts/two\nlines.csv\";"
                            + " echo b > \"$RECLAIM_OUTPUT/artifacts/back\\\\slash.csv\"; echo c > $RECLAIM_OUTPUT/artifacts/ok.csv;"
                            + " ln -s /etc/hostname $RECLAIM_OUTPUT/artifacts/link; echo done"), Map.of(), null),
                    ComputeContext.local().withAutoCleanup(false));
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            assertThat(tasks.artifactsOf(h.id())).extracting(Artifact::name).containsExactlyInAnyOrder("ok.csv", "console.log");
            String console = reclaim.jobs().output(h.id());
            // One line per skipped file, the name escaped so it cannot break the console into lines.
            assertThat(console).contains("done\n")
                    .contains("[reclaim] skipped artifacts/two\\nlines.csv: ")
                    .contains("[reclaim] skipped artifacts/back\\\\slash.csv: ")
                    .contains("[reclaim] skipped artifacts/link: ");
            assertThat(console.lines().filter(l -> l.startsWith("[reclaim] skipped"))).hasSize(3)
                    .allSatisfy(l -> assertThat(l).contains("removed with the job's output folder"));
            assertThat(tmp.resolve("staging").resolve(h.id())).doesNotExist();
        }

        @Test
        void aSideFileNextToAnOutputBecomesItsMetricsAndIsNotAnArtifact() {
            JobHandle h = submitCommand(new CommandJob("cmd", null, List.of("sh", "-c",
                    "mkdir -p $RECLAIM_OUTPUT/models/ckpt; echo w > $RECLAIM_OUTPUT/models/ckpt/epoch3.pt;"
                            + " echo '{\"val_loss\": 0.31, \"epoch\": 3}' > $RECLAIM_OUTPUT/models/ckpt/epoch3.pt.metrics.json;"
                            + " echo '{\"acc\": 1}' > $RECLAIM_OUTPUT/models/orphan.pt.metrics.json"), Map.of(), null),
                    ComputeContext.local().withAutoCleanup(false));

            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            List<Artifact> artifacts = tasks.artifactsOf(h.id());
            // a side file without its output is an ordinary artifact
            assertThat(artifacts).extracting(Artifact::name)
                    .containsExactlyInAnyOrder("ckpt/epoch3.pt", "orphan.pt.metrics.json", "console.log");
            Artifact ckpt = artifacts.stream().filter(a -> a.name().equals("ckpt/epoch3.pt")).findFirst().orElseThrow();
            assertThat(reclaim.tasks().metricsOf(List.of(ckpt.id())).get(ckpt.id()))
                    .containsExactly(Map.entry("epoch", 3.0), Map.entry("val_loss", 0.31));
            assertThat(storedKeysOf(h.id())).noneMatch(k -> k.endsWith("epoch3.pt.metrics.json"));
        }

        @Test
        void aMalformedSideFileIsKeptAsAnArtifactWithAWarningAndTheJobStillFinishes() {
            JobHandle h = submitCommand(new CommandJob("cmd", null, List.of("sh", "-c",
                    "mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/a.pt; echo w > $RECLAIM_OUTPUT/models/b.pt;"
                            + " echo '{\"val_loss\": \"low\"}' > $RECLAIM_OUTPUT/models/a.pt.metrics.json;"
                            + " echo '[1, 2]' > $RECLAIM_OUTPUT/models/b.pt.metrics.json; echo w > $RECLAIM_OUTPUT/models/c.pt;"
                            + " { head -c 70000 /dev/zero | tr '\\0' ' '; echo '{\"x\": 1}'; } > $RECLAIM_OUTPUT/models/c.pt.metrics.json;"
                            + " echo done"), Map.of(), null),
                    ComputeContext.local().withAutoCleanup(false));

            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            List<Artifact> artifacts = tasks.artifactsOf(h.id());
            assertThat(artifacts).extracting(Artifact::name).containsExactlyInAnyOrder(
                    "a.pt", "a.pt.metrics.json", "b.pt", "b.pt.metrics.json", "c.pt", "c.pt.metrics.json", "console.log");
            assertThat(reclaim.tasks().metricsOf(artifacts.stream().map(Artifact::id).toList())).isEmpty();
            String console = reclaim.jobs().output(h.id());
            assertThat(console).contains("done\n")
                    .contains("[reclaim] kept a.pt.metrics.json as an artifact, not as metrics of a.pt: 'val_loss' is not a number")
                    .contains("[reclaim] kept b.pt.metrics.json as an artifact, not as metrics of b.pt: it is not a JSON object")
                    .contains("[reclaim] kept c.pt.metrics.json as an artifact, not as metrics of c.pt: it is 70009 bytes; "
                            + "a metrics file holds at most 65536 bytes");
        }

        @Test
        void aFunctionJobCannotWriteAnArtifactWhoseNameIsRefused() {
            assumeTrue(runsFunctionJobs(), "this executor runs commands only");
            JobHandle h = reclaim.jobs().submit(FunctionJob.of("f", ctx -> {
                ctx.writeArtifact(ArtifactKind.MODEL, "m\u202Ekpt", new byte[]{1});
                return 1;
            }), ComputeContext.local());
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
            assertThat(tasks.findTask(h.id()).orElseThrow().error()).contains("artifact name").contains("U+202E")
                    .doesNotContain("Exception");
            assertThat(tasks.artifactsOf(h.id())).extracting(Artifact::kind).doesNotContain(ArtifactKind.MODEL);
        }

        @Test
        void jobNamesAndProjectsFollowTheTaskLimits() {
            assertThatThrownBy(() -> submitCommand(new CommandJob("a\nb", null, List.of("true"), Map.of(), null), NO_WAIT))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("job name");
            assertThatThrownBy(() -> submitCommand(new CommandJob(null, "p".repeat(129), List.of("true"), Map.of(), null),
                    NO_WAIT)).isInstanceOf(InvalidArgumentException.class).hasMessageContaining("128");
            assertThatThrownBy(() -> submitCommand(new CommandJob("f\u202E", null, List.of("true"), Map.of(), null), NO_WAIT))
                    .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+202E");
            if (runsFunctionJobs()) {
                assertThatThrownBy(() -> reclaim.jobs().submit(FunctionJob.of("f\u202E", ctx -> 1), NO_WAIT))
                        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("U+202E");
            }
            assertThatThrownBy(() -> submitCommand(new CommandJob("ok", null, Arrays.asList("sh", null),
                    Map.of(), null), NO_WAIT)).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining("argument 2");
            assertThat(reclaim.jobs().list(JobFilter.all())).isEmpty();
            // A long program path is a usable default name: it is shortened, not refused.
            JobHandle h = submitCommand(CommandJob.of("/" + "d/".repeat(200) + "prog"), NO_WAIT.withQueue(UNSERVED));
            assertThat(tasks.findTask(h.id()).orElseThrow().name()).hasSizeLessThanOrEqualTo(256);
        }

        @Test
        void aCommandThatExitsNonZeroIsFailedWithItsExitCode() {
            JobHandle h = submitCommand(CommandJob.of("sh", "-c", "echo bad; exit 7"), ComputeContext.local());
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
            assertThat(tasks.findTask(h.id()).orElseThrow().exitCode()).isEqualTo(7);
            assertThat(reclaim.jobs().output(h.id())).contains("bad");
        }

        @Test
        void aCommandThatCannotStartIsFailedWithTheReason() {
            JobHandle h = submitCommand(CommandJob.of("/nonexistent/program-xyz"), ComputeContext.local());
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
            assertThat(tasks.findTask(h.id()).orElseThrow().error()).contains("cannot start");
        }
    }

    // ---- cancel ---------------------------------------------------------------------------------

    @Nested
    class Cancel {
        @Test
        void aQueuedJobIsCanceledAndItsRecordKept() {
            JobHandle h = queuedJob();
            assertThat(reclaim.jobs().cancel(h.id())).isTrue();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.CANCELED);
            assertThat(tasks.findTask(h.id())).isPresent();
        }

        @Test
        void aRunningJobIsStoppedAndAllItsArtifactsRemoved() {
            CountDownLatch never = new CountDownLatch(1);
            JobHandle h = runningJob(never);
            assertThat(reclaim.jobs().cancel(h.id())).isTrue();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.CANCELED);
            awaitStopped(h);
            assertThat(tasks.artifactsOf(h.id())).isEmpty();
            assertThat(storedKeysOf(h.id())).isEmpty();
            assertThat(tasks.findTask(h.id()).orElseThrow().status()).isEqualTo(TaskStatus.CANCELED);
        }

        @Test
        void aFinishedJobCannotBeCanceledAndKeepsItsResults() {
            JobHandle h = finishedJob("r");
            assertThat(reclaim.jobs().cancel(h.id())).isFalse();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            assertThat(storedKeysOf(h.id())).isNotEmpty();
        }

        @Test
        void failedAndMissingJobsCannotBeCanceled() {
            assertThat(reclaim.jobs().cancel(failedJob().id())).isFalse();
            assertThat(reclaim.jobs().cancel("000000000000ffffffffffffffff")).isFalse();
        }
    }

    // ---- results and output ---------------------------------------------------------------------

    @Nested
    class Results {
        @Test
        void resultsOfAFinishedJobAreItsReturnValueAsJson() {
            JobHandle h = jobReturning(Map.of("accuracy", 0.93), null, ComputeContext.local().withAutoCleanup(false));
            assertThat(reclaim.jobs().results(h.id(), null, null).resultJson()).isEqualTo("{\"accuracy\":0.93}");
        }

        @Test
        void autoCleanupIsTheDefaultAndRemovesArtifactsAndRecordAfterTheHandBack() {
            JobHandle h = finishedJob(1);
            JobResults r = reclaim.jobs().results(h.id(), null, null);
            assertThat(r.resultJson()).isEqualTo("1");
            assertThat(r.cleanedUp()).isTrue();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.MISSING);
            assertThat(storedKeysOf(h.id())).isEmpty();
        }

        @Test
        void withoutAutoCleanupTheHandBackIsRecordedAndResultsCanBeFetchedAgain() {
            JobHandle h = finishedJob(2);
            assertThat(reclaim.jobs().results(h.id(), null, false).cleanedUp()).isFalse();
            assertThat(tasks.findTask(h.id()).orElseThrow().resultsRetrievedAt()).isNotNull();
            assertThat(reclaim.jobs().results(h.id(), null, false).resultJson()).isEqualTo("2");
        }

        @Test
        void theContextsAutoCleanupAtSubmissionAppliesWhenTheCallLeavesItUnset() {
            JobHandle h = jobReturning(3, null, ComputeContext.local().withAutoCleanup(false));
            reclaim.jobs().results(h.id(), null, null);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
        }

        @Test
        void anExplicitArgumentOverridesTheContextsValue() {
            JobHandle h = jobReturning(4, null, ComputeContext.local().withAutoCleanup(false));
            assertThat(reclaim.jobs().results(h.id(), null, true).cleanedUp()).isTrue();
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.MISSING);
        }

        @Test
        void consoleOutputComesFirstWhenAskedForExplicitlyOrByTheContext() {
            JobHandle h = jobReturning(5, "hello from the job", ComputeContext.local().withAutoCleanup(false).withConsoleOutput(true));
            assertThat(reclaim.jobs().results(h.id(), null, null).consoleOutput()).contains("hello from the job");
            assertThat(reclaim.jobs().results(h.id(), false, null).consoleOutput()).isNull();
        }

        @Test
        void resultsOfAnUnfinishedJobAreUnavailableAndSaySo() {
            CountDownLatch release = new CountDownLatch(1);
            JobHandle h = runningJob(release);
            assertThatThrownBy(() -> reclaim.jobs().results(h.id(), null, null))
                    .isInstanceOfSatisfying(ResultsUnavailableException.class, e -> assertThat(e.status()).isEqualTo(JobStatus.RUNNING))
                    .hasMessageContaining("has not finished");
            release.countDown();
        }

        @Test
        void resultsOfAFailedJobAreUnavailableAndNameTheFailure() {
            JobHandle h = failedJob();
            assertThatThrownBy(() -> reclaim.jobs().results(h.id(), null, null))
                    .isInstanceOfSatisfying(ResultsUnavailableException.class, e -> assertThat(e.status()).isEqualTo(JobStatus.FAILED))
                    .hasMessageContaining("failed").hasMessageContaining(failedJobError());
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FAILED);
        }

        @Test
        void resultsOfAMissingOrCanceledJobAreUnavailableAndSayWhich() {
            assertThatThrownBy(() -> reclaim.jobs().results("000000000000ffffffffffffffff", null, null))
                    .isInstanceOfSatisfying(ResultsUnavailableException.class, e -> assertThat(e.status()).isEqualTo(JobStatus.MISSING));
            JobHandle q = queuedJob();
            reclaim.jobs().cancel(q.id());
            assertThatThrownBy(() -> reclaim.jobs().results(q.id(), null, null))
                    .isInstanceOfSatisfying(ResultsUnavailableException.class, e -> assertThat(e.status()).isEqualTo(JobStatus.CANCELED));
        }

        @Test
        void outputShowsConsoleOutputWhileTheJobRunsAndDeletesNothing() {
            CountDownLatch release = new CountDownLatch(1);
            JobHandle h = runningJob(release);
            await().atMost(startsWithin()).until(() -> reclaim.jobs().output(h.id()).contains("started"));
            release.countDown();
            reclaim.jobs().waitFor(h.id());
            assertThat(reclaim.jobs().output(h.id())).contains("started");
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            assertThat(storedKeysOf(h.id())).isNotEmpty();
        }

        @Test
        void outputIsEmptyOnceTheJobWasAutoCleaned() {
            JobHandle h = finishedJob(6);
            reclaim.jobs().results(h.id(), null, true);
            assertThat(reclaim.jobs().output(h.id())).isEmpty();
        }
    }

    // ---- list -----------------------------------------------------------------------------------

    @Nested
    class ListJobs {
        @Test
        void listFiltersByState() {
            JobHandle done = finishedJob(1);
            JobHandle failed = failedJob();
            JobHandle queued = queuedJob();
            assertThat(reclaim.jobs().list(new JobFilter(Set.of(JobStatus.FINISHED), null, null)))
                    .extracting(JobInfo::id).containsExactly(done.id());
            assertThat(reclaim.jobs().list(new JobFilter(Set.of(JobStatus.FAILED, JobStatus.QUEUED), null, null)))
                    .extracting(JobInfo::id).containsExactlyInAnyOrder(failed.id(), queued.id());
            assertThat(reclaim.jobs().list(JobFilter.all())).hasSize(3);
        }

        @Test
        void jobsComeAPageAtATimeOldestOrNewestFirstWithACursor() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(queuedJob().id());
                clock.advance(Duration.ofSeconds(1));
            }
            for (boolean newest : new boolean[] {false, true}) {
                List<String> seen = new ArrayList<>();
                String cursor = null;
                do {
                    Page<JobInfo> page = reclaim.jobs().page(JobFilter.all(), newest, cursor, 2);
                    assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
                    page.items().forEach(j -> seen.add(j.id()));
                    cursor = page.nextCursor();
                } while (cursor != null);
                List<String> expected = new ArrayList<>(ids);
                if (newest) {
                    Collections.reverse(expected);
                }
                assertThat(seen).as(newest ? "newest first" : "oldest first").containsExactlyElementsOf(expected);
            }
            assertThatThrownBy(() -> reclaim.jobs().page(JobFilter.all(), false, null, 501))
                    .isInstanceOf(InvalidArgumentException.class);
        }

        @Test
        void undeterminedIsAStateYouCanListBy() {
            JobHandle u = undeterminedJob();
            queuedJob();
            assertThat(reclaim.jobs().list(new JobFilter(Set.of(JobStatus.UNDETERMINED), null, null)))
                    .extracting(JobInfo::id).containsExactly(u.id());
        }

        @Test
        void startAndEndTimesAreInclusive() {
            Instant t1 = clock.instant();
            JobHandle first = queuedJob();
            clock.advance(Duration.ofSeconds(10));
            Instant t2 = clock.instant();
            JobHandle second = queuedJob();
            clock.advance(Duration.ofSeconds(10));
            JobHandle third = queuedJob();
            assertThat(reclaim.jobs().list(new JobFilter(Set.of(), t1, t2))).extracting(JobInfo::id)
                    .containsExactly(first.id(), second.id());
            assertThat(reclaim.jobs().list(new JobFilter(Set.of(), t2, null))).extracting(JobInfo::id)
                    .containsExactly(second.id(), third.id());
        }

        @Test
        void listReportsStatusAndModificationTimeOfEachJob() {
            JobHandle done = finishedJob(1);
            JobInfo info = reclaim.jobs().list(JobFilter.all()).get(0);
            assertThat(info.id()).isEqualTo(done.id());
            assertThat(info.status()).isEqualTo(JobStatus.FINISHED);
            assertThat(info.modifiedAt()).isNotNull();
        }
    }

    // ---- cleanup table ----------------------------------------------------------------------------

    @Nested
    class Cleanup {
        private CleanupReport cleanup(String id, boolean force) {
            return reclaim.jobs().cleanup(id, force, DeletionListener.NONE);
        }

        @Test
        void aFinishedJobWhoseResultsWereNeverRetrievedIsSkippedWithAWayForward() {
            JobHandle h = finishedJob(1);
            CleanupReport r = cleanup(h.id(), false);
            assertThat(r.outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
            assertThat(r.message()).contains(h.id()).contains("results").contains("force");
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.FINISHED);
            assertThat(storedKeysOf(h.id())).isNotEmpty();
        }

        @Test
        void aFinishedJobWhoseResultsWereNeverRetrievedIsDeletedWithForce() {
            JobHandle h = finishedJob(1);
            CleanupReport r = cleanup(h.id(), true);
            assertThat(r.outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(r.objects()).isEqualTo(4);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.MISSING);
            assertThat(storedKeysOf(h.id())).isEmpty();
        }

        @Test
        void aFinishedJobWhoseResultsWereRetrievedIsDeletedWithoutForce() {
            JobHandle h = finishedJob(1);
            reclaim.jobs().results(h.id(), null, false);
            assertThat(cleanup(h.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(storedKeysOf(h.id())).isEmpty();
            assertThat(tasks.findTask(h.id())).isEmpty();
        }

        @Test
        void aFailedJobIsDeletedWithoutForce() {
            JobHandle h = failedJob();
            assertThat(cleanup(h.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(storedKeysOf(h.id())).isEmpty();
        }

        @Test
        void aCanceledJobIsDeletedWithoutForce() {
            JobHandle h = queuedJob();
            reclaim.jobs().cancel(h.id());
            assertThat(cleanup(h.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(tasks.findTask(h.id())).isEmpty();
        }

        @Test
        void aQueuedJobIsSkippedWithoutForceAndCanceledThenDeletedWithForce() {
            JobHandle h = queuedJob();
            CleanupReport skipped = cleanup(h.id(), false);
            assertThat(skipped.outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
            assertThat(skipped.message()).contains("cancel");
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.QUEUED);
            assertThat(cleanup(h.id(), true).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.MISSING);
        }

        @Test
        void aRunningJobIsSkippedWithoutForceAndCanceledThenDeletedWithForce() {
            CountDownLatch never = new CountDownLatch(1);
            JobHandle h = runningJob(never);
            assertThat(cleanup(h.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.RUNNING);
            assertThat(cleanup(h.id(), true).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            awaitStopped(h);
            assertThat(reclaim.jobs().status(h.id())).isEqualTo(JobStatus.MISSING);
            assertThat(storedKeysOf(h.id())).isEmpty();
        }

        @Test
        void anUndeterminedJobIsSkippedWithoutForceAndDeletedWithForce() {
            JobHandle h = undeterminedJob();
            CleanupReport skipped = cleanup(h.id(), false);
            assertThat(skipped.outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
            assertThat(skipped.message()).contains("cannot be determined");
            assertThat(cleanup(h.id(), true).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(tasks.findTask(h.id())).isEmpty();
        }

        @Test
        void aMissingJobIsReportedAsAlreadyGoneNotAsAnError() {
            for (boolean force : new boolean[]{false, true}) {
                CleanupReport r = cleanup("000000000000ffffffffffffffff", force);
                assertThat(r.outcome()).isEqualTo(CleanupReport.Outcome.ALREADY_GONE);
                assertThat(r.statusBefore()).isEqualTo(JobStatus.MISSING);
            }
        }

        @Test
        void aPublishedJobNeedsForce() {
            JobHandle h = finishedJob(1);
            reclaim.jobs().results(h.id(), null, false);
            var t = tasks.findTask(h.id()).orElseThrow();
            tasks.replaceTask(t.withStatus(TaskStatus.PUBLISHED, clock.instant()), t.version());
            assertThat(cleanup(h.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
            assertThat(cleanup(h.id(), true).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
        }

        @Test
        void aListAppliesTheSingleJobRuleToEachElementAndContinues() {
            JobHandle unretrieved = finishedJob(1);
            JobHandle failed = failedJob();
            JobHandle queued = queuedJob();
            List<CleanupReport> reports = reclaim.jobs().cleanup(
                    List.of(unretrieved.id(), "000000000000ffffffffffffffff", failed.id(), queued.id()), false,
                    DeletionListener.NONE);
            assertThat(reports).extracting(CleanupReport::outcome).containsExactly(
                    CleanupReport.Outcome.SKIPPED_NEEDS_FORCE, CleanupReport.Outcome.ALREADY_GONE,
                    CleanupReport.Outcome.DELETED, CleanupReport.Outcome.SKIPPED_NEEDS_FORCE);
        }

        @Test
        void verboseListsEveryObjectAndRecordAsItIsDeleted() {
            JobHandle h = failedJob();
            List<String> lines = new ArrayList<>();
            CleanupReport r = reclaim.jobs().cleanup(h.id(), false, new DeletionListener() {
                @Override
                public void objectDeleted(String key, long bytes) {
                    lines.add("object " + key);
                }

                @Override
                public void recordDeleted(String description) {
                    lines.add("record " + description);
                }
            });
            assertThat(lines).anyMatch(l -> l.startsWith("object tasks/" + h.id() + "/artifacts/partial.csv"));
            assertThat(lines).anyMatch(l -> l.startsWith("record task " + h.id()));
            assertThat(r.deleted()).isEqualTo(lines);
        }

        @Test
        void anObjectSharedWithAnotherLiveArtifactIsKept() {
            JobHandle a = failedJob();
            JobHandle b = finishedJob(1);
            Artifact model = tasks.artifactsOf(b.id()).stream().filter(x -> x.kind() == ArtifactKind.MODEL).findFirst().orElseThrow();
            Artifact shared = new Artifact(Ids.next(clock.instant()), a.id(), ArtifactKind.ARTIFACT,
                    "shared", model.storageKey(), model.sizeBytes(), clock.instant(), false, ArtifactState.LIVE);
            tasks.insertArtifacts(List.of(shared));
            assertThat(cleanup(a.id(), false).outcome()).isEqualTo(CleanupReport.Outcome.DELETED);
            assertThat(artifacts.stat(model.storageKey())).isPresent();
        }

        @Test
        void afterCleanupNoObjectOfTheJobRemainsInTheStore() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(finishedJob(i).id());
            }
            reclaim.jobs().cleanup(ids, true, DeletionListener.NONE);
            assertThat(storedKeys()).isEmpty();
            assertThat(tasks.pendingDeletes(10)).isEmpty();
        }
    }

    @Test
    void threeLayerResolutionPrefersArgumentThenSubmittedContextThenDefault() {
        JobOptions submitted = new JobOptions(null, false, null);
        assertThat(submitted.resolveAutoCleanup(true)).isTrue();
        assertThat(submitted.resolveAutoCleanup(null)).isFalse();
        assertThat(JobOptions.UNSET.resolveAutoCleanup(null)).isTrue();
        assertThat(JobOptions.UNSET.resolveWait(null)).isTrue();
        assertThat(JobOptions.UNSET.resolveConsoleOutput(null)).isFalse();
    }
}
