package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.Sleeper;
import dev.reclaim.jobs.FunctionRegistry;
import dev.reclaim.jobs.LocalSignals;
import dev.reclaim.jobs.LocalWorkers;
import dev.reclaim.jobs.external.BatchExecutor;
import dev.reclaim.model.Ids;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ExternalJobs;
import dev.reclaim.store.JobQueue;
import dev.reclaim.store.TaskCatalog;
import dev.reclaim.store.WorkerInfo;
import dev.reclaim.store.WorkerRegistry;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The worker pools of one process and what they share: the stores' job roles, the deletion engine
 * (a canceled job's outputs), the Cleanup Service (its task runs on a worker), the staging folder,
 * and the signals and function registry that connect submitters, workers and waiters in-process.
 */
public final class Workers implements LocalWorkers, AutoCloseable {
    final TaskCatalog catalog;
    final JobQueue jobs;
    final ArtifactCatalog artifactRecords;
    final WorkerRegistry registry;
    final ExternalJobs external;
    final ArtifactStore artifacts;
    final Deleter deleter;
    final CleanupService cleanup;
    final Clock clock;
    final Sleeper sleeper;
    final Path stagingRoot;
    private final WorkerSettings settings;
    private final String localQueue;
    private final FunctionRegistry functions = new FunctionRegistry();
    private final LocalSignals signals = new LocalSignals();
    private final List<WorkerPool> pools = new CopyOnWriteArrayList<>();
    private final Map<String, BatchExecutor> executors = new ConcurrentHashMap<>();
    private final List<ExternalJobMonitor> monitors = new CopyOnWriteArrayList<>();
    private WorkerPool localPool;

    /**
     * @param store       the job roles of the task store: tasks, the job queue, artifact records, workers
     * @param artifacts   where job outputs are stored
     * @param deleter     removes what a canceled or deleted job wrote
     * @param cleanup     runs the Cleanup Service task when a worker claims it
     * @param clock       time source
     * @param sleeper     waits between retries of a failed output upload
     * @param stagingRoot folder where running jobs write their outputs
     * @param settings    timings and slots; the lease timeout also decides whether a worker is live
     * @param instanceId  this process's id, which names its private queue
     */
    public <S extends TaskCatalog & JobQueue & ArtifactCatalog & WorkerRegistry & ExternalJobs> Workers(
            S store, ArtifactStore artifacts, Deleter deleter, CleanupService cleanup, Clock clock, Sleeper sleeper,
            Path stagingRoot, WorkerSettings settings, String instanceId) {
        this.catalog = store;
        this.jobs = store;
        this.artifactRecords = store;
        this.registry = store;
        this.external = store;
        this.artifacts = artifacts;
        this.deleter = deleter;
        this.cleanup = cleanup;
        this.clock = clock;
        this.sleeper = sleeper;
        this.stagingRoot = stagingRoot;
        this.settings = settings;
        this.localQueue = "local-" + instanceId;
    }

    @Override
    public String localQueue() {
        return localQueue;
    }

    @Override
    public synchronized void startLocalPool() {
        if (localPool == null) {
            localPool = start(settings.withQueues(Set.of(localQueue)));
        }
    }

    /** Starts (once) and returns the pool that serves {@link #localQueue()}. */
    public synchronized WorkerPool localPool() {
        startLocalPool();
        return localPool;
    }

    @Override
    public void cancelLocally(String jobId) {
        pools.forEach(p -> p.cancelLocally(jobId));
    }

    @Override
    public boolean hasLiveWorker(String queue) {
        Instant cutoff = clock.instant().minus(settings.leaseTimeout());
        for (WorkerInfo w : registry.workers()) {
            if (w.queues().contains(queue) && !w.heartbeatAt().isBefore(cutoff)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Duration pollInterval() {
        return settings.pollInterval();
    }

    @Override
    public LocalSignals signals() {
        return signals;
    }

    @Override
    public FunctionRegistry functions() {
        return functions;
    }

    /** The settings pools start from (the lease timeout decides UNDETERMINED). */
    public WorkerSettings settings() {
        return settings;
    }

    /** Starts a worker pool with the given settings; it stops when {@link #close()} is called. */
    public WorkerPool start(WorkerSettings poolSettings) {
        WorkerPool pool = new WorkerPool(this, poolSettings, "worker-" + Ids.next(clock.instant()));
        pools.add(pool);
        return pool;
    }

    /** Makes a cluster manager available to jobs and monitors of this process. */
    public void addExecutor(BatchExecutor executor) {
        executors.put(executor.name(), executor);
    }

    @Override
    public Optional<BatchExecutor> executor(String name) {
        return Optional.ofNullable(executors.get(name));
    }

    /**
     * Starts a monitor that submits the batch jobs of {@code queues} to the executor and follows
     * them; it stops when {@link #close()} is called.
     *
     * @throws dev.reclaim.InvalidArgumentException when no such executor was added
     */
    public ExternalJobMonitor startMonitor(String executorName, Set<String> queues) {
        BatchExecutor e = executor(executorName).orElseThrow(() -> new InvalidArgumentException(
                "no executor named '" + executorName + "' is set up in this process"));
        ExternalJobMonitor m = new ExternalJobMonitor(this, external, e, queues, e.name() + "-" + Ids.next(clock.instant()),
                settings.pollInterval(), settings.leaseTimeout());
        monitors.add(m);
        return m;
    }

    @Override
    public synchronized void startMonitorFor(String executorName, String queue) {
        for (ExternalJobMonitor m : monitors) {
            if (m.queues().contains(queue)) {
                return;
            }
        }
        startMonitor(executorName, Set.of(queue));
    }

    /** The monitors of this process. */
    public List<ExternalJobMonitor> monitors() {
        return List.copyOf(monitors);
    }

    /** Stops one pool started by {@link #start}. */
    public void stop(WorkerPool pool) {
        pool.close();
        pools.remove(pool);
    }

    /** The pools of this process. */
    public List<WorkerPool> pools() {
        return List.copyOf(pools);
    }

    /** Stops every pool (requeueing what they run). */
    @Override
    public void close() {
        for (ExternalJobMonitor m : monitors) {
            m.close();
        }
        monitors.clear();
        for (WorkerPool p : pools) {
            p.close();
        }
        pools.clear();
    }
}
