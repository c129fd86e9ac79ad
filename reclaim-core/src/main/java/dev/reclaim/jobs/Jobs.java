package dev.reclaim.jobs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.ReclaimException;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.jobs.external.BatchExecutor;
import dev.reclaim.jobs.external.ExternalState;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.Order;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskField;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.ExternalJobs;
import dev.reclaim.store.JobQueue;
import dev.reclaim.store.TaskCatalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The remote-job API (docs/rules.md section 2): submit, status, waitFor, cancel, results, output,
 * list and cleanup. Options resolve in three layers: explicit argument, then the value the
 * compute context had at submission, then the default. Every deletion goes through the
 * {@link dev.reclaim.delete.Deleter}.
 */
public final class Jobs {
    /** Task type recorded for submitted jobs. */
    public static final String JOB_TYPE = "job";
    private static final int CHANGED_RETRIES = 5;

    final TaskCatalog catalog;
    private final JobQueue console;
    private final ArtifactCatalog records;
    private final ExternalJobs external;
    private final ArtifactStore artifacts;
    final Deleter deleter;
    private final LocalWorkers workers;
    final Path stagingRoot;
    final Clock clock;
    final String user;

    /**
     * @param store       the roles the job API uses: the catalog jobs are tasks in, their console
     *                    output, their artifact records, the jobs cluster managers run
     * @param artifacts   where job results are stored
     * @param deleter     deletes jobs (cleanup, results retrieved, cancel)
     * @param workers     this process's worker pools (function jobs, in-process runs, cancel)
     * @param stagingRoot folder where running jobs write their outputs
     * @param clock       time source
     * @param user        owner of submitted jobs and actor of their deletion
     */
    public <S extends TaskCatalog & JobQueue & ArtifactCatalog & ExternalJobs> Jobs(S store, ArtifactStore artifacts,
                                                                                  Deleter deleter, LocalWorkers workers,
                                                                                  Path stagingRoot, Clock clock, String user) {
        this.catalog = store;
        this.console = store;
        this.records = store;
        this.external = store;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.workers = workers;
        this.stagingRoot = stagingRoot;
        this.clock = clock;
        this.user = user;
    }

    /**
     * Submits a job: records it QUEUED and returns its handle; when the resolved {@code wait} is
     * true, blocks until it ends. A job that waits and finds no live worker on its queue, and
     * every Java function job, runs in this process.
     */
    public JobHandle submit(JobSpec spec, ComputeContext context) {
        if (spec instanceof BatchJob b) {
            return submitBatch(b, context);
        }
        Instant now = clock.instant();
        String id = Ids.next(now);
        boolean wait = context.options().resolveWait(null);
        boolean local = spec instanceof FunctionJob<?> || (wait && !workers.hasLiveWorker(context.queue()));
        String queue = local ? workers.localQueue() : context.queue();
        Task task = Task.builder(id, spec.name(), now).project(spec.project()).type(JOB_TYPE).owner(user)
                .status(TaskStatus.QUEUED).queue(queue).spec(JobSpecs.toJson(spec))
                .submittedOptions(context.options()).build();
        if (spec instanceof FunctionJob<?> f) {
            workers.functions().register(id, f.function());
        }
        if (local) {
            workers.startLocalPool();
        }
        catalog.insertTask(task);
        workers.signals().submitted();
        if (wait) {
            waitFor(id);
        }
        return new JobHandle(id, task.name(), queue);
    }

    /**
     * A batch job goes on its queue for a monitor of its executor to submit; a submission that waits
     * and finds no live monitor on the queue starts one in this process, as a local job starts a pool.
     */
    private JobHandle submitBatch(BatchJob spec, ComputeContext context) {
        BatchExecutor executor = workers.executor(spec.executor()).orElseThrow(() -> new InvalidArgumentException(
                "no executor named '" + spec.executor() + "' is set up here; use --executor slurm with the slurm commands "
                        + "(sbatch, squeue, scontrol, scancel) on the PATH, or leave --executor out to run on Reclaim's workers"));
        BatchJob checked = new BatchJob(spec.command(), spec.executor(), executor.checkOptions(spec.options()));
        Instant now = clock.instant();
        String id = Ids.next(now);
        Task task = Task.builder(id, checked.name(), now).project(checked.project()).type(JOB_TYPE).owner(user)
                .status(TaskStatus.QUEUED).queue(context.queue()).spec(JobSpecs.toJson(checked))
                .submittedOptions(context.options()).build();
        boolean wait = context.options().resolveWait(null);
        if (wait && !workers.hasLiveWorker(context.queue())) {
            workers.startMonitorFor(executor.name(), context.queue());
        }
        catalog.insertTask(task);
        workers.signals().submitted();
        if (wait) {
            waitFor(id);
        }
        return new JobHandle(id, task.name(), context.queue());
    }

    /** The job's status; an unknown id is {@link JobStatus#MISSING}, not an error. */
    public JobStatus status(String jobId) {
        return statusOf(catalog.findTask(jobId).orElse(null));
    }

    /** The job status of a record (null: none), as {@link #status} reports it. */
    JobStatus statusOf(Task task) {
        return JobStatuses.of(task, clock.instant(), workers::hasLiveWorker);
    }

    /** Blocks until the job is FINISHED, FAILED, CANCELED, UNDETERMINED or MISSING, and returns that status. */
    public JobStatus waitFor(String jobId) {
        return waitFor(jobId, null);
    }

    /**
     * Blocks until the job leaves QUEUED/RUNNING or {@code timeout} passes (null: no limit).
     *
     * @return the status at the end of the wait (still QUEUED or RUNNING on timeout)
     */
    public JobStatus waitFor(String jobId, Duration timeout) {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        Duration poll = workers.pollInterval();
        while (true) {
            long seen = workers.signals().endingCount();
            JobStatus s = status(jobId);
            if (s != JobStatus.QUEUED && s != JobStatus.RUNNING) {
                return s;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return s;
            }
            try {
                workers.signals().awaitEndingAfter(seen, Duration.ofNanos(Math.min(left, poll.toNanos())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return status(jobId);
            }
        }
    }

    /**
     * Cancels a QUEUED or RUNNING job: it is stopped, all its artifacts (results included) are
     * removed, and its record stays as CANCELED.
     *
     * @return true if it was canceled; false if it was in any other state (or missing)
     */
    public boolean cancel(String jobId) {
        for (int i = 0; i < CHANGED_RETRIES; i++) {
            Optional<Task> found = catalog.findTask(jobId);
            if (found.isEmpty() || !found.get().isLive()) {
                return false;
            }
            Task t = found.get();
            if (t.status() != TaskStatus.QUEUED && t.status() != TaskStatus.RUNNING) {
                return false;
            }
            Instant now = clock.instant();
            Task canceled = t.withStatus(TaskStatus.CANCELED, now).toBuilder().endedAt(now).leaseExpiresAt(null)
                    .error("canceled by " + user).build();
            Optional<Task> stored = catalog.replaceTask(canceled, t.version());
            if (stored.isPresent()) {
                workers.functions().forget(jobId);
                workers.cancelLocally(jobId);
                cancelExternally(jobId);
                deleter.delete(DeletionMark.allArtifacts(jobId, stored.get().version())
                        .because("job canceled", user, now), DeletionListener.NONE);
                workers.signals().ended();
                return true;
            }
        }
        throw new ReclaimException("job " + jobId + " kept changing while it was being canceled; try again");
    }

    /** How long a cancel waits for a cluster manager to say the job stopped. */
    private static final Duration EXTERNAL_STOP_WAIT = Duration.ofSeconds(60);

    /**
     * A batch job's manager is asked to stop it, and the cancel waits (up to a minute) until the
     * manager says it stopped, so its staging folder is removed only once nothing writes there.
     * A manager that cannot be asked leaves the job's record for its monitor and the next cleanup.
     */
    void cancelExternally(String jobId) {
        Optional<ExternalJobs.ExternalJob> job = external.externalJob(jobId);
        if (job.isEmpty() || job.get().externalId() == null) {
            return;
        }
        Optional<BatchExecutor> executor = workers.executor(job.get().executor());
        if (executor.isEmpty()) {
            throw new ReclaimException("job " + jobId + " runs on " + job.get().executor() + " as job "
                    + job.get().externalId() + ", which this process cannot reach; cancel it there too");
        }
        String id = job.get().externalId();
        executor.get().cancel(id);
        long deadline = System.nanoTime() + EXTERNAL_STOP_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ExternalState s = executor.get().states(List.of(id)).getOrDefault(id, ExternalState.forgotten());
            if (s.phase() != ExternalState.Phase.QUEUED && s.phase() != ExternalState.Phase.RUNNING) {
                break;
            }
            try {
                Thread.sleep(200); // real time: the manager's own clock decides when the job stops
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        external.forgetExternalJob(jobId);
        StagingFolders.deleteJob(stagingRoot, jobId);
    }

    /**
     * Hands back a finished job's result (and console output first, if asked). With auto-cleanup
     * the job's artifacts and record are removed after the hand-back; without, the hand-back is
     * recorded ({@code resultsRetrievedAt}) and results can be fetched again.
     *
     * @param consoleOutput explicit option, or null to use the job's submitted value or the default (false)
     * @param autoCleanup   explicit option, or null to use the job's submitted value or the default (true)
     * @throws ResultsUnavailableException when the job is not finished, failed, was canceled or is gone, saying which
     */
    public JobResults results(String jobId, Boolean consoleOutput, Boolean autoCleanup) {
        Task task = catalog.findTask(jobId).orElse(null);
        JobStatus status = statusOf(task);
        if (status != JobStatus.FINISHED) {
            throw new ResultsUnavailableException(jobId, status, unavailableMessage(jobId, status, task));
        }
        boolean withConsole = task.submittedOptions().resolveConsoleOutput(consoleOutput);
        boolean clean = task.submittedOptions().resolveAutoCleanup(autoCleanup);
        String console = withConsole ? output(jobId) : null;
        String result = readArtifact(task.id(), ArtifactKind.RESULT).orElse(null);
        if (clean) {
            DeletionReport r = deleter.delete(DeletionMark.wholeTask(jobId, task.version())
                    .because("auto-cleanup after results were retrieved", user, clock.instant()),
                    DeletionListener.NONE);
            if (r.outcome() == DeletionReport.Outcome.DELETED) {
                return new JobResults(jobId, console, result, true);
            }
        }
        markRetrieved(jobId);
        return new JobResults(jobId, console, result, false);
    }

    private void markRetrieved(String jobId) {
        for (int i = 0; i < CHANGED_RETRIES; i++) {
            Optional<Task> t = catalog.findTask(jobId);
            if (t.isEmpty() || !t.get().isLive()) {
                return;
            }
            Instant now = clock.instant();
            Task updated = t.get().toBuilder().resultsRetrievedAt(now).lastUpdateAt(now).build();
            if (catalog.replaceTask(updated, t.get().version()).isPresent()) {
                return;
            }
        }
    }

    private static String unavailableMessage(String jobId, JobStatus status, Task task) {
        return switch (status) {
            case MISSING -> "results unavailable: job " + jobId + " does not exist (never submitted, or already cleaned up)";
            case QUEUED, RUNNING -> "results unavailable: job " + jobId + " has not finished yet (" + status
                    + "); wait for it first (reclaim jobs wait " + jobId + ")";
            case FAILED -> "results unavailable: job " + jobId + " failed" + (task.error() == null ? "" : " (" + task.error() + ")")
                    + "; read its console with: reclaim jobs output " + jobId;
            case CANCELED -> "results unavailable: job " + jobId + " was canceled and its artifacts removed";
            case UNDETERMINED -> "results unavailable: the state of job " + jobId
                    + " cannot be determined (its worker stopped renewing its lease, or it is a draft)";
            case FINISHED -> throw new IllegalStateException("finished");
        };
    }

    /** The job's console output so far; never deletes anything; empty when the job is gone. */
    public String output(String jobId) {
        Optional<Task> task = catalog.findTask(jobId);
        if (task.isEmpty() || !task.get().isLive()) {
            return "";
        }
        Optional<String> log = readArtifact(jobId, ArtifactKind.LOG);
        return log.orElseGet(() -> console.readConsole(jobId));
    }

    private Optional<String> readArtifact(String taskId, ArtifactKind kind) {
        for (Artifact a : records.artifactsOf(taskId)) {
            if (a.kind() == kind && a.state() == ArtifactState.LIVE) {
                try (InputStream in = artifacts.open(a.storageKey())) {
                    return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + kind + " of job " + taskId, e);
                }
            }
        }
        return Optional.empty();
    }

    /** Streams the jobs matching the filter to {@code sink}, oldest first, page by page (memory stays flat). */
    public void list(JobFilter filter, Consumer<JobInfo> sink) {
        String cursor = null;
        do {
            Page<JobInfo> page = page(filter, false, cursor, TaskQuery.MAX_PAGE_SIZE);
            page.items().forEach(sink);
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /**
     * One page of the jobs matching the filter: the jobs among the next {@code pageSize} job records
     * in submission order, oldest or newest first. A page can hold fewer jobs than {@code pageSize}
     * (even none) when states are filtered, because some states are told apart only after reading
     * the record (RUNNING from UNDETERMINED); continue while the next cursor is not null.
     *
     * @param newestFirst the newest job first instead of the oldest
     * @param cursor      null for the first page, else the next cursor of the page before (same filter and order)
     * @param pageSize    job records read, 1 to {@link TaskQuery#MAX_PAGE_SIZE}
     * @throws dev.reclaim.InvalidArgumentException for a page size out of range or a cursor that is not one
     */
    public Page<JobInfo> page(JobFilter filter, boolean newestFirst, String cursor, int pageSize) {
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        filter.states().forEach(s -> statuses.addAll(JobStatuses.taskStatusesFor(s)));
        TaskQuery.Builder q = TaskQuery.builder().pageSize(pageSize).cursor(cursor);
        if (!filter.states().isEmpty() && statuses.isEmpty()) {
            q.build(); // still refuse a bad cursor or page size
            return new Page<>(List.of(), null);
        }
        List<TimeCondition> created = new ArrayList<>();
        if (filter.startTime() != null) {
            created.add(new TimeCondition(TimeCondition.Op.GE, filter.startTime()));
        }
        if (filter.endTime() != null) {
            created.add(new TimeCondition(TimeCondition.Op.LE, filter.endTime()));
        }
        // ids grow with submission time, so the id order is the submission order
        q.onlyJobs(true).statuses(statuses).created(created).orderBy(List.of(new Order(TaskField.ID, newestFirst)));
        Page<Task> page = catalog.query(q.build());
        List<JobInfo> jobs = new ArrayList<>();
        for (Task t : page.items()) {
            JobStatus s = statusOf(t);
            if (filter.states().isEmpty() || filter.states().contains(s)) {
                jobs.add(new JobInfo(t.id(), t.name(), t.project(), t.queue(), s, t.createdAt(), t.lastUpdateAt(), t.endedAt()));
            }
        }
        return new Page<>(jobs, page.nextCursor());
    }

    /** The jobs matching the filter, oldest first. */
    public List<JobInfo> list(JobFilter filter) {
        List<JobInfo> out = new ArrayList<>();
        list(filter, out::add);
        return out;
    }

    /**
     * Cleans up jobs, applying the single-job rule to each and continuing past failures
     * (docs/rules.md section 2, cleanup table).
     *
     * @param force    delete even finished jobs whose results were never retrieved, running or
     *                 queued jobs (canceled first), undetermined and published jobs
     * @param listener told about each object and record deleted (verbose output)
     * @return one report per id, in order
     */
    public List<CleanupReport> cleanup(List<String> jobIds, boolean force, DeletionListener listener) {
        List<CleanupReport> reports = new ArrayList<>();
        for (String id : jobIds) {
            try {
                reports.add(new JobCleanup(this).cleanupOne(id, force, listener));
            } catch (RuntimeException e) {
                reports.add(new CleanupReport(id, status(id), CleanupReport.Outcome.FAILED,
                        "cleanup of job " + id + " failed: " + Problems.describe(e), 0, 0, List.of()));
            }
        }
        return reports;
    }

    /** Cleans up one job; see {@link #cleanup(List, boolean, DeletionListener)}. */
    public CleanupReport cleanup(String jobId, boolean force, DeletionListener listener) {
        return cleanup(List.of(jobId), force, listener).get(0);
    }
}
