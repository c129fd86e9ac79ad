package dev.reclaim.worker;

import dev.reclaim.jobs.LocalSignals;
import dev.reclaim.model.Task;
import dev.reclaim.store.WorkerInfo;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * A pool of N slots that claims QUEUED jobs from its queues and runs them. It registers itself
 * as a worker and heartbeats; each heartbeat renews the leases of its running jobs, so a job whose
 * worker died shows UNDETERMINED once its lease runs out. A job canceled or deleted elsewhere is
 * stopped at the next heartbeat (at once when canceled in this process).
 *
 * <p>{@link #close()} stops cleanly: no new claims, running jobs get the shutdown grace to end,
 * then are stopped and put back on their queue for another worker.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    private final Workers workers;
    private final WorkerSettings settings;
    private final String workerId;
    private final Instant startedAt;
    private final Semaphore freeSlots;
    private final ExecutorService slots;
    private final ScheduledExecutorService heartbeat;
    private final Thread dispatcher;
    private final Map<String, RunningJob> running = new ConcurrentHashMap<>();
    private final JobExecution execution;
    private volatile boolean stopping;

    /**
     * Starts a pool: registers the worker, starts the heartbeat and begins claiming.
     *
     * @param workers  the stores, clock and signals to use
     * @param settings slots, queues and timings
     * @param workerId unique id of this worker in the store
     */
    WorkerPool(Workers workers, WorkerSettings settings, String workerId) {
        this.workers = workers;
        this.settings = settings;
        this.workerId = workerId;
        this.startedAt = workers.clock.instant();
        this.freeSlots = new Semaphore(settings.slots());
        this.slots = Executors.newFixedThreadPool(settings.slots(), daemon("reclaim-job"));
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("reclaim-heartbeat"));
        this.execution = new JobExecution(workers, workerId);
        beat();
        long every = settings.heartbeatInterval().toMillis();
        heartbeat.scheduleWithFixedDelay(this::beatSafely, every, every, TimeUnit.MILLISECONDS);
        dispatcher = daemon("reclaim-dispatch").newThread(this::dispatch);
        dispatcher.start();
    }

    /** This worker's id in the store. */
    public String workerId() {
        return workerId;
    }

    /** The settings the pool runs with. */
    public WorkerSettings settings() {
        return settings;
    }

    /** Ids of the jobs running now. */
    public Set<String> runningJobIds() {
        return Set.copyOf(running.keySet());
    }

    /** Stops a job this pool runs, at once, because it was canceled in this process. */
    public void cancelLocally(String jobId) {
        RunningJob job = running.get(jobId);
        if (job != null) {
            job.cancel();
        }
    }

    private void dispatch() {
        LocalSignals signals = workers.signals();
        while (!stopping) {
            int free = 0;
            try {
                freeSlots.acquire();
                // one claim for every slot free now, never more: a claimed job waits for no other job
                free = 1 + freeSlots.drainPermits();
                long seen = signals.submissionCount();
                List<Task> claimed = stopping ? List.of() : claim(free);
                for (int i = 0; i < claimed.size(); i++) {
                    Task task = claimed.get(i);
                    RunningJob job = new RunningJob(task);
                    running.put(task.id(), job);
                    try {
                        slots.execute(() -> runAndRelease(job));
                    } catch (RejectedExecutionException e) {
                        // the pool closed while this batch was being claimed: what did not start goes back
                        for (Task unstarted : claimed.subList(i, claimed.size())) {
                            running.remove(unstarted.id());
                            execution.requeue(unstarted);
                        }
                        return;
                    }
                    free--;
                }
                if (free > 0) {
                    freeSlots.release(free);
                    free = 0;
                }
                if (claimed.isEmpty() && !stopping) {
                    signals.awaitSubmissionAfter(seen, settings.pollInterval());
                }
            } catch (InterruptedException e) {
                freeSlots.release(free);
                return;
            } catch (RuntimeException e) {
                freeSlots.release(free);
                LOG.warn("worker {} could not claim a job: {}", workerId, e.toString());
                try {
                    signals.awaitSubmissionAfter(signals.submissionCount(), settings.pollInterval());
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private List<Task> claim(int max) {
        Instant now = workers.clock.instant();
        return workers.jobs.claimBatch(settings.queues(), workerId, now, now.plus(settings.leaseTimeout()), max);
    }

    private void runAndRelease(RunningJob job) {
        try {
            execution.run(job);
        } catch (RuntimeException e) {
            LOG.error("job {} ended with an unexpected error", job.task().id(), e);
        } finally {
            job.detachThread();
            Thread.interrupted(); // a cancel of this job that came late must not reach the thread's next job
            running.remove(job.task().id());
            freeSlots.release();
            workers.signals().ended();
        }
    }

    private void beatSafely() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("worker {} heartbeat failed: {}", workerId, e.toString());
        }
    }

    private void beat() {
        Instant now = workers.clock.instant();
        workers.registry.heartbeat(new WorkerInfo(workerId, hostName(), ProcessHandle.current().pid(),
                settings.queues(), settings.slots(), startedAt, now));
        // One snapshot for both the renewal and the check: a job the dispatcher claims while the
        // renewal runs is not in the renewed set, and checking the live map would cancel it as if
        // it had been canceled elsewhere (it then stays RUNNING and shows UNDETERMINED once its
        // lease runs out). Seen with two workers sharing PostgreSQL and a 500 ms heartbeat.
        List<RunningJob> jobs = List.copyOf(running.values());
        if (jobs.isEmpty()) {
            return;
        }
        Set<String> ids = new LinkedHashSet<>();
        jobs.forEach(job -> ids.add(job.task().id()));
        Set<String> renewed = workers.jobs.renewLeases(workerId, ids, now.plus(settings.leaseTimeout()));
        for (RunningJob job : jobs) {
            job.flushConsole();
            if (!renewed.contains(job.task().id()) && !job.isCanceled()) {
                LOG.info("job {} was canceled or deleted elsewhere; stopping it", job.task().id());
                job.cancel();
            }
        }
    }

    /** Stops claiming, lets running jobs end within the grace, stops and requeues the rest, unregisters. */
    @Override
    public void close() {
        if (stopping) {
            return;
        }
        stopping = true;
        workers.signals().submitted();
        dispatcher.interrupt();
        try {
            // the dispatcher hands what it claimed to the slots before they stop taking jobs
            dispatcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.values().forEach(RunningJob::shutdownStarting);
        slots.shutdown();
        try {
            if (!slots.awaitTermination(settings.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                running.values().forEach(RunningJob::stopForShutdown);
                slots.awaitTermination(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.values().forEach(RunningJob::stopForShutdown);
        }
        heartbeat.shutdownNow();
        try {
            workers.registry.removeWorker(workerId);
        } catch (RuntimeException e) {
            LOG.warn("worker {} could not unregister: {}", workerId, e.toString());
        }
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** This machine's name as workers register it (the JVM's name when it has none). */
    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return ManagementFactory.getRuntimeMXBean().getName();
        }
    }
}
