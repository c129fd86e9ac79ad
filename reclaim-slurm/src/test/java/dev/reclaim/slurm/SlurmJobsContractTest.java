package dev.reclaim.slurm;

import dev.reclaim.Json;
import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jobs.BatchJob;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.jobs.external.ExternalState;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ExternalJobs;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.JobsContract;
import dev.reclaim.testkit.RealSlurm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import static org.awaitility.Awaitility.await;

/**
 * The job API contract that local jobs pass, run on a real single-node Slurm ({@code .ci/slurm-up}).
 * Every job is a command job sent to Slurm through a monitor; the suite's function-job helpers are
 * shell commands here (a running job waits for a file the test creates when its latch opens). Only
 * the test of what a Java function may write is skipped: Slurm runs commands.
 */
class SlurmJobsContractTest extends JobsContract {
    /** The queue the monitor serves; jobs sent to the default queue go here. */
    private static final String QUEUE = "slurm";

    private final Map<String, String> slurmIds = new ConcurrentHashMap<>();
    private final List<Thread> releasers = new ArrayList<>();

    @BeforeAll
    static void slurmRuns() throws IOException, InterruptedException {
        RealSlurm.require();
    }

    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    @Override
    protected Reclaim.Builder configure(Reclaim.Builder builder) {
        return builder.executor(new SlurmExecutor());
    }

    @BeforeEach
    void startMonitor() {
        reclaim.workers().startMonitor(SlurmExecutor.NAME, Set.of(QUEUE));
    }

    /** Nothing a test started runs on in Slurm after it. */
    @AfterEach
    void stopSlurmJobs() {
        releasers.forEach(Thread::interrupt);
        for (ExternalJobs.ExternalJob j : reclaim.taskStore().activeExternalJobs(SlurmExecutor.NAME, 1000)) {
            if (j.externalId() != null) {
                slurmIds.put(j.taskId(), j.externalId());
            }
        }
        SlurmExecutor slurm = new SlurmExecutor();
        for (String id : slurmIds.values()) {
            slurm.cancel(id);
        }
    }

    @Override
    protected boolean runsFunctionJobs() {
        return false;
    }

    @Override
    protected Duration startsWithin() {
        return Duration.ofSeconds(60);
    }

    @Override
    protected String failedJobError() {
        return "exit code 1";
    }

    @Override
    protected JobHandle submitCommand(CommandJob job, ComputeContext context) {
        String queue = context.queue().equals(ComputeContext.DEFAULT_QUEUE) ? QUEUE : context.queue();
        return reclaim.jobs().submit(new BatchJob(job, SlurmExecutor.NAME, Map.of()),
                new ComputeContext(queue, context.options()));
    }

    private JobHandle shell(String name, String script, ComputeContext context) {
        return submitCommand(new CommandJob(name, null, List.of("sh", "-c", script), Map.of(), null), context);
    }

    @Override
    protected JobHandle jobReturning(Object result, String line, ComputeContext context) {
        return shell("r", (line == null ? "" : "echo " + SlurmExecutor.quote(line) + "; ")
                + "printf '%s' " + SlurmExecutor.quote(Json.write(result)) + " > $RECLAIM_OUTPUT/result.json", context);
    }

    @Override
    protected JobHandle finishedJob(Object result) {
        return shell("train", "echo 'epoch 1 done'; printf '\\001\\002\\003' > $RECLAIM_OUTPUT/models/epoch-1.ckpt; "
                + "printf '<p>hi</p>' > $RECLAIM_OUTPUT/debug/sample.html; "
                + "printf '%s' " + SlurmExecutor.quote(Json.write(result)) + " > $RECLAIM_OUTPUT/result.json", ComputeContext.local());
    }

    @Override
    protected JobHandle failedJob() {
        return shell("broken", "printf 'a,b' > $RECLAIM_OUTPUT/artifacts/partial.csv; echo boom >&2; exit 1",
                ComputeContext.local());
    }

    @Override
    protected JobHandle runningJob(CountDownLatch release) {
        Path flag = tmp.resolve("release-" + System.nanoTime());
        Thread releaser = new Thread(() -> {
            try {
                release.await();
                Files.createFile(flag);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "release-" + flag.getFileName());
        releaser.setDaemon(true);
        releaser.start();
        releasers.add(releaser);
        JobHandle h = shell("long", "echo started; printf '\\011' > $RECLAIM_OUTPUT/models/partial.ckpt; "
                + "while [ ! -e " + SlurmExecutor.quote(flag.toString()) + " ]; do sleep 0.1; done; "
                + "printf '\"done\"' > $RECLAIM_OUTPUT/result.json", NO_WAIT);
        awaitRunning(h);
        reclaim.taskStore().externalJob(h.id()).ifPresent(j -> slurmIds.put(h.id(), j.externalId()));
        return h;
    }

    @Override
    protected void awaitStopped(JobHandle job) {
        String slurmId = slurmIds.get(job.id());
        SlurmExecutor slurm = new SlurmExecutor();
        await().atMost(Duration.ofSeconds(60)).until(() -> slurm.states(List.of(slurmId)).get(slurmId).phase()
                != ExternalState.Phase.RUNNING);
        // and the monitor has seen its end, so what the test checks next could have been changed by it
        await().atMost(Duration.ofSeconds(60)).until(() -> reclaim.taskStore().externalJob(job.id()).isEmpty());
    }
}
