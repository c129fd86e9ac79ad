package dev.reclaim.worker;

import dev.reclaim.Problems;
import dev.reclaim.jobs.BatchJob;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.JobSpecs;
import dev.reclaim.jobs.StagingFolders;
import dev.reclaim.jobs.external.BatchExecutor;
import dev.reclaim.jobs.external.BatchSubmission;
import dev.reclaim.jobs.external.ExecutorUnavailableException;
import dev.reclaim.jobs.external.ExitRecord;
import dev.reclaim.jobs.external.ExternalState;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ExternalJobs;
import dev.reclaim.store.ExternalJobs.ExternalJob;
import dev.reclaim.store.WorkerInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs batch jobs on a cluster manager ({@link BatchExecutor}) and follows them, with the job API's
 * rules: it submits the QUEUED batch jobs of its queues (one monitor per job, by an atomic take),
 * asks the manager for the state of all of them in one call per poll, and maps it: waiting stays
 * QUEUED; started is claimed RUNNING under this monitor's lease (renewed at each poll, so a monitor
 * that dies leaves its jobs UNDETERMINED); ended registers the outputs from the staging folder
 * through the write protocol, exactly as a local worker does, and ends the job FINISHED or FAILED
 * by the exit record the batch script wrote; a stop by the manager (time limit, memory, node
 * failure) is FAILED with its reason; a cancel is CANCELED; a job the manager forgot with no exit
 * record is UNDETERMINED. While the manager cannot be asked, jobs keep their last known status,
 * nothing is deleted, and polls back off. A job whose monitor is gone (no heartbeat within the lease
 * timeout) is adopted by another monitor of its executor, which takes over its lease.
 */
public final class ExternalJobMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalJobMonitor.class);
    /** Jobs submitted or followed per poll. */
    private static final int BATCH = 500;
    /** The longest wait between polls while the manager does not answer. */
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);
    /** The exit record's name in the control folder. */
    static final String EXIT_FILE = "exit-status";

    private final Workers workers;
    private final ExternalJobs store;
    private final BatchExecutor executor;
    private final Set<String> queues;
    private final String monitorId;
    private final Duration poll;
    private final Duration leaseTimeout;
    private final JobExecution execution;
    private final Instant startedAt;
    private final Thread thread;
    private volatile boolean stopping;
    private Duration backoff = Duration.ZERO;
    private volatile String lastFailure;

    ExternalJobMonitor(Workers workers, ExternalJobs store, BatchExecutor executor, Set<String> queues, String monitorId,
                       Duration poll, Duration leaseTimeout) {
        this.workers = workers;
        this.store = store;
        this.executor = executor;
        this.queues = Set.copyOf(queues);
        this.monitorId = monitorId;
        this.poll = poll;
        this.leaseTimeout = leaseTimeout;
        this.execution = new JobExecution(workers, monitorId);
        this.startedAt = workers.clock.instant();
        beat();
        this.thread = new Thread(this::loop, "reclaim-" + executor.name() + "-monitor");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** This monitor's worker id. */
    public String monitorId() {
        return monitorId;
    }

    /** Why the executor could not be asked at the last poll, or null when it answered. */
    public String lastProblem() {
        return lastFailure;
    }

    /** The queues whose batch jobs it submits. */
    public Set<String> queues() {
        return queues;
    }

    private void loop() {
        while (!stopping) {
            long seen = workers.signals().submissionCount();
            try {
                pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("{} monitor {}: {}", executor.name(), monitorId, Problems.describe(e));
            }
            try {
                Duration wait = backoff.isZero() ? poll : backoff;
                workers.signals().awaitSubmissionAfter(seen, wait);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One round: heartbeat, submit what waits, follow what runs. Package-private for tests. */
    void pollOnce() {
        beat();
        try {
            submitWaiting();
            follow();
            if (lastFailure != null) {
                LOG.info("{} answers again", executor.name());
            }
            backoff = Duration.ZERO;
            lastFailure = null;
        } catch (ExecutorUnavailableException e) {
            backoff = backoff.isZero() ? poll.multipliedBy(2) : backoff.multipliedBy(2);
            if (backoff.compareTo(MAX_BACKOFF) > 0) {
                backoff = MAX_BACKOFF;
            }
            if (!e.getMessage().equals(lastFailure)) {
                LOG.warn("{} cannot be asked ({}); jobs keep their last known status, next try in {} s", executor.name(),
                        e.getMessage(), backoff.toSeconds());
            }
            lastFailure = e.getMessage();
        }
    }

    /** The workers (monitors included) that heartbeated within the lease timeout. */
    private Set<String> liveMonitors() {
        Instant cutoff = workers.clock.instant().minus(leaseTimeout);
        Set<String> out = new LinkedHashSet<>();
        for (WorkerInfo w : workers.registry.workers()) {
            if (!w.heartbeatAt().isBefore(cutoff)) {
                out.add(w.id());
            }
        }
        return out;
    }

    private void beat() {
        Instant now = workers.clock.instant();
        workers.registry.heartbeat(new WorkerInfo(monitorId, WorkerPool.hostName(), ProcessHandle.current().pid(), queues, 0, startedAt,
                now));
    }

    // ---- submission --------------------------------------------------------------------------------

    private void submitWaiting() {
        for (String id : store.unsubmitted(queues, BATCH)) {
            Instant now = workers.clock.instant();
            Optional<Task> found = workers.catalog.findTask(id);
            if (found.isEmpty() || !JobSpecs.BATCH.equals(JobSpecs.kindOf(found.get().spec()))) {
                continue; // a local job on a batch queue: a worker of that queue runs it
            }
            Task task = found.get();
            BatchJob job = JobSpecs.batchFromJson(task.name(), task.project(), task.spec());
            if (!job.executor().equals(executor.name()) || !store.takeForSubmission(id, executor.name(), monitorId, now)) {
                continue;
            }
            try {
                BatchSubmission submission = submission(task, job);
                String externalId = executor.submit(submission);
                store.recordSubmitted(id, externalId, workers.clock.instant());
                // into the console file, which the manager appends to: the line is then in the job's
                // output while it runs and in its console log after, like a local worker's notes
                note(submission.consoleFile(), "submitted to " + executor.name() + " as job " + externalId);
            } catch (ExecutorUnavailableException e) {
                store.releaseSubmission(id);
                throw e;
            } catch (RuntimeException e) {
                // refused for good (bad options the manager rejects): the job fails, saying why
                store.releaseSubmission(id);
                fail(task, null, executor.name() + " refused the job: " + Problems.describe(e));
            }
        }
    }

    private BatchSubmission submission(Task task, BatchJob job) {
        Path outputDir = workers.stagingRoot.resolve(task.id());
        Path control = StagingFolders.batchControl(workers.stagingRoot, task.id());
        JobExecution.createOutputFolders(outputDir);
        try {
            StagingFolders.delete(control);
            Files.createDirectories(control);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the staging folder of job " + task.id(), e);
        }
        return new BatchSubmission(task.id(), task.name(), job.command().command(), job.command().env(),
                job.command().workingDir(), outputDir, outputDir.resolve(OutputCollector.CONSOLE_FILE),
                control.resolve(EXIT_FILE), executor.checkOptions(job.options()));
    }

    // ---- following ---------------------------------------------------------------------------------

    private void follow() {
        List<ExternalJob> mine = new ArrayList<>();
        Set<String> live = null;
        for (ExternalJob j : store.activeExternalJobs(executor.name(), BATCH * 10)) {
            if (j.externalId() == null) {
                continue;
            }
            if (monitorId.equals(j.monitorId())) {
                mine.add(j);
                continue;
            }
            if (live == null) {
                live = liveMonitors();
            }
            // a job whose monitor is gone (killed, or stopped) is followed on by this one
            Instant now = workers.clock.instant();
            if (!live.contains(j.monitorId())
                    && store.adoptExternalJob(j.taskId(), j.monitorId(), monitorId, now, now.plus(leaseTimeout))) {
                LOG.info("{} job {} (task {}): its monitor {} is gone; followed by {} now", executor.name(), j.externalId(),
                        j.taskId(), j.monitorId(), monitorId);
                mine.add(store.externalJob(j.taskId()).orElse(j));
            }
        }
        if (mine.isEmpty()) {
            return;
        }
        Map<String, String> byExternal = new LinkedHashMap<>();
        mine.forEach(j -> byExternal.put(j.externalId(), j.taskId()));
        Map<String, ExternalState> states = executor.states(byExternal.keySet());
        Instant now = workers.clock.instant();
        Set<String> running = new LinkedHashSet<>();
        for (ExternalJob j : mine) {
            ExternalState s = states.getOrDefault(j.externalId(), ExternalState.forgotten());
            if (s.raw() != null && (!s.raw().equals(j.state()) || !Objects.equals(s.reason(), j.reason()))) {
                store.recordState(j.taskId(), s.raw(), s.reason(), now);
            }
            Optional<Task> task = workers.catalog.findTask(j.taskId());
            if (task.isEmpty() || !task.get().isLive()) {
                store.forgetExternalJob(j.taskId());
                continue;
            }
            if (!store.externalJob(j.taskId()).map(e -> monitorId.equals(e.monitorId())).orElse(false)) {
                continue; // adopted by another monitor while this one was slow: it is that one's now
            }
            try {
                if (step(j, task.get(), s, now)) {
                    running.add(j.taskId());
                }
            } catch (RuntimeException e) {
                LOG.warn("{} job {} (task {}): {}", executor.name(), j.externalId(), j.taskId(), Problems.describe(e));
            }
        }
        if (!running.isEmpty()) {
            Set<String> renewed = workers.jobs.renewLeases(monitorId, running, now.plus(leaseTimeout));
            for (String id : running) {
                if (!renewed.contains(id)) {
                    // canceled or deleted in Reclaim since: the manager must stop it too
                    store.externalJob(id).map(ExternalJob::externalId).ifPresent(this::cancelQuietly);
                }
            }
        }
    }

    /** Applies one reported state; true when the job is RUNNING under this monitor afterwards. */
    private boolean step(ExternalJob j, Task task, ExternalState s, Instant now) {
        switch (s.phase()) {
            case QUEUED -> {
                return false;
            }
            case RUNNING -> {
                if (task.status() == TaskStatus.QUEUED && !claim(task, now)) {
                    return false;
                }
                copyConsole(j);
                return task.status() == TaskStatus.RUNNING || task.status() == TaskStatus.QUEUED;
            }
            case ENDED -> {
                // the script's record, else the exit code the manager reported
                Optional<ExitRecord> record = exitRecord(task.id())
                        .or(() -> Optional.ofNullable(s.exitCode()).map(code -> new ExitRecord(code, null)));
                end(j, task, now, explained(record), record.map(r -> outcome(task, r)).orElseGet(() -> JobOutcome.failed(null,
                        executor.name() + " job " + j.externalId() + " ended (" + s.raw() + ") without an exit status")));
                return false;
            }
            case FAILED -> {
                if (s.raw() != null && s.raw().equals("PENDING")) {
                    cancelQuietly(j.externalId()); // it can never start as submitted: it must not start later either
                }
                end(j, task, now, false, JobOutcome.failed(exitRecord(task.id()).map(ExitRecord::exitCode).orElse(s.exitCode()),
                        executor.name() + ": "
                        + s.raw() + (s.reason() == null || s.reason().equals("None") ? "" : " (" + s.reason() + ")")));
                return false;
            }
            case CANCELED -> {
                if (task.status() == TaskStatus.QUEUED) {
                    claim(task, now);
                }
                copyConsole(j);
                workers.jobs.finishJob(task.id(), monitorId, TaskStatus.CANCELED, null, "canceled in " + executor.name()
                        + " (job " + j.externalId() + ")", List.of(), now);
                cleanUp(task.id());
                return false;
            }
            default -> {
                Optional<ExitRecord> record = exitRecord(task.id());
                if (record.isPresent()) {
                    end(j, task, now, explained(record), outcome(task, record.get()));
                } else {
                    undetermined(j, task, now);
                }
                return false;
            }
        }
    }

    private boolean claim(Task task, Instant now) {
        return store.claimStarted(task.id(), monitorId, now, now.plus(leaseTimeout));
    }

    /**
     * The job ended: its outputs are registered (or discarded if it was canceled meanwhile) and it
     * ends. With {@code explain}, the outcome's error is also a line of its console (a command that
     * never ran printed nothing to say why).
     */
    private void end(ExternalJob j, Task task, Instant now, boolean explain, JobOutcome outcome) {
        if (task.status() == TaskStatus.QUEUED && !claim(task, now)) {
            return;
        }
        Path outputDir = workers.stagingRoot.resolve(task.id());
        // into the console file, which becomes console.log, the job's output once it ended, as a local worker does
        Path consoleFile = outputDir.resolve(OutputCollector.CONSOLE_FILE);
        if (explain) {
            note(consoleFile, outcome.error());
        }
        copyConsole(j);
        try {
            Consumer<String> warn = w -> note(consoleFile, w);
            SideFileMetrics.Paired paired = SideFileMetrics.pair(OutputCollector.collect(task.id(), outputDir, warn), warn);
            List<CollectedFile> all = new ArrayList<>(paired.files());
            OutputCollector.consoleLog(task.id(), outputDir, true).ifPresent(all::add);
            execution.register(workers.catalog.findTask(task.id()).orElse(task), all, paired.metrics(), outcome);
        } finally {
            cleanUp(task.id());
        }
    }

    /** The manager forgot the job and it left no exit record: nobody can tell how it ended. */
    private void undetermined(ExternalJob j, Task task, Instant now) {
        String why = executor.name() + " no longer knows job " + j.externalId() + " and it left no exit record";
        workers.jobs.appendConsole(task.id(), "[reclaim] " + why + "\n");
        // a draft is UNDETERMINED (docs/decisions.md): never guessed FINISHED or FAILED
        Task draft = task.withStatus(TaskStatus.CREATED, now).toBuilder().leaseExpiresAt(null).error(why).build();
        if (workers.catalog.replaceTask(draft, task.version()).isPresent()) {
            store.forgetExternalJob(task.id());
            cleanUp(task.id());
        }
    }

    private void fail(Task task, Integer code, String why) {
        Instant now = workers.clock.instant();
        Task failed = task.withStatus(TaskStatus.FAILED, now).toBuilder().endedAt(now).exitCode(code).error(why).build();
        workers.catalog.replaceTask(failed, task.version());
        workers.jobs.appendConsole(task.id(), "[reclaim] " + why + "\n");
        workers.signals().ended();
    }

    private static void note(Path consoleFile, String line) {
        try {
            Files.writeString(consoleFile, "[reclaim] " + line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.debug("cannot note '{}' in {}: {}", line, consoleFile, e.toString());
        }
    }

    /** Appends what the console file gained since the last poll to the job's console output. */
    private void copyConsole(ExternalJob j) {
        Path file = workers.stagingRoot.resolve(j.taskId()).resolve(OutputCollector.CONSOLE_FILE);
        try (InputStream in = Files.newInputStream(file)) {
            long skipped = in.skip(j.consoleOffset());
            if (skipped < j.consoleOffset()) {
                return;
            }
            byte[] bytes = in.readNBytes(1 << 20);
            if (bytes.length == 0) {
                return;
            }
            // whole lines only, so a multi-byte character is never split between two polls
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            if (end == 0) {
                return;
            }
            workers.jobs.appendConsole(j.taskId(), new String(bytes, 0, end, StandardCharsets.UTF_8));
            store.recordConsoleOffset(j.taskId(), j.consoleOffset() + end);
        } catch (NoSuchFileException e) {
            // not started yet, or already collected
        } catch (IOException e) {
            LOG.debug("console of job {} not readable yet: {}", j.taskId(), e.toString());
        }
    }

    /** The exit record the batch script wrote, if it got that far. */
    Optional<ExitRecord> exitRecord(String taskId) {
        Path file = StagingFolders.batchControl(workers.stagingRoot, taskId).resolve(EXIT_FILE);
        try {
            return ExitRecord.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the exit record of job " + taskId, e);
        }
    }

    /** Whether the record says the command never ran, so the job's error is worth a console line. */
    private static boolean explained(Optional<ExitRecord> record) {
        return record.map(r -> r.problem() != null).orElse(false);
    }

    /** How a job whose script wrote its exit record ended; a command that never ran says why, as a local worker does. */
    private JobOutcome outcome(Task task, ExitRecord record) {
        if (record.problem() == null) {
            return JobOutcome.exited(record.exitCode());
        }
        CommandJob command = JobSpecs.batchFromJson(task.name(), task.project(), task.spec()).command();
        String why = record.problem().equals(ExitRecord.CANNOT_START)
                ? "cannot start '" + command.command().get(0) + "' on the " + executor.name() + " node: not found or not executable there"
                : "cannot enter the working folder '" + command.workingDir() + "' on the " + executor.name() + " node";
        return JobOutcome.failed(record.exitCode(), why);
    }

    private void cleanUp(String taskId) {
        store.forgetExternalJob(taskId);
        StagingFolders.deleteJob(workers.stagingRoot, taskId);
        workers.signals().ended();
    }

    private void cancelQuietly(String externalId) {
        try {
            executor.cancel(externalId);
        } catch (RuntimeException e) {
            LOG.warn("could not cancel {} job {}: {}", executor.name(), externalId, e.getMessage());
        }
    }

    /** Stops following; the jobs keep running on the manager and another monitor can be started for them. */
    @Override
    public void close() {
        stopping = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            workers.registry.removeWorker(monitorId);
        } catch (RuntimeException e) {
            LOG.warn("monitor {} could not unregister: {}", monitorId, e.toString());
        }
    }

}
