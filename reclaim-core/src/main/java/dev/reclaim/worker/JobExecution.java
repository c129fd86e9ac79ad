package dev.reclaim.worker;

import dev.reclaim.Problems;
import dev.reclaim.ReclaimException;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.JobFunction;
import dev.reclaim.jobs.JobSpecs;
import dev.reclaim.jobs.StagingFolders;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactKeys;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.ObjectExistsException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Runs one claimed job and registers its outputs with the write protocol (docs/architecture.md, "Writes"): each file
 * is registered as a PENDING artifact, moved into the artifact store, then made LIVE in the same
 * transaction that ends the job. If the job was canceled or deleted meanwhile, what it wrote is
 * removed again. The output folder is removed in every case.
 */
final class JobExecution {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

    private final Workers workers;
    private final String workerId;

    JobExecution(Workers workers, String workerId) {
        this.workers = workers;
        this.workerId = workerId;
    }

    void run(RunningJob job) {
        Task task = job.task();
        if (ServiceTask.TYPE.equals(task.type())) {
            new ServiceRunner(workers, workerId).run(job, this);
            return;
        }
        Path outputDir = workers.stagingRoot.resolve(task.id());
        try {
            String kind = JobSpecs.kindOf(task.spec());
            boolean command = JobSpecs.COMMAND.equals(kind);
            boolean function = JobSpecs.FUNCTION.equals(kind);
            // A function job's subfolders are made when it asks for its output folder: most never do,
            // and folders made and removed for every job are a large part of a short job's time.
            if (function) {
                createOutputFolder(outputDir);
            } else {
                createOutputFolders(outputDir);
            }
            JobOutcome outcome;
            List<CollectedFile> files = List.of();
            Map<Path, Map<String, Double>> metrics = Map.of();
            try (ConsoleSink console = new ConsoleSink(task.id(), workers.jobs, outputDir.resolve(OutputCollector.CONSOLE_FILE),
                    command, () -> stopDeleted(job))) {
                job.attach(console);
                if (JobSpecs.BATCH.equals(kind)) {
                    outcome = JobOutcome.failed(null, "this job runs on " + JobSpecs.batchFromJson(task.name(), task.project(),
                            task.spec()).executor() + ", but a local worker took it from queue " + task.queue()
                            + "; serve that queue with 'reclaim worker --slurm', not with local slots");
                } else if (command) {
                    outcome = CommandRunner.run(task.id(), JobSpecs.commandFromJson(task.name(), task.project(), task.spec()),
                            outputDir, console, job);
                } else {
                    Optional<JobFunction<?>> fn = workers.functions().take(task.id());
                    outcome = fn.isPresent()
                            ? FunctionRunner.run(task.id(), fn.get(), outputDir, console, job)
                            : JobOutcome.failed(null, "this process does not have the job's Java function; "
                            + "function jobs run only in the process that submitted them");
                }
                if (!job.requeueOnStop() && !job.isCanceled()) {
                    // Collected while the console is open: a skipped file is reported in console.log,
                    // which is what the job's output is once it ended, not only in the store's copy.
                    Consumer<String> warn = warning -> console.append("[reclaim] " + warning + "\n");
                    SideFileMetrics.Paired paired = SideFileMetrics.pair(OutputCollector.collect(task.id(), outputDir, warn), warn);
                    files = paired.files();
                    metrics = paired.metrics();
                }
            }
            if (job.requeueOnStop()) {
                requeue(task);
            } else if (!job.isCanceled()) {
                List<CollectedFile> all = new ArrayList<>(files);
                OutputCollector.consoleLog(task.id(), outputDir, command).ifPresent(all::add);
                register(task, all, metrics, outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(task);
        } finally {
            StagingFolders.delete(outputDir);
        }
    }

    /** The job's task was deleted while it ran: stop it as if canceled, so its outputs are discarded. */
    private void stopDeleted(RunningJob job) {
        LOG.info("job {} was deleted while it ran; stopping it", job.task().id());
        job.cancel();
    }

    /** Registers a job's outputs through the write protocol and ends it with {@code outcome}, under this worker's lease. */
    void register(Task task, List<CollectedFile> files, Map<Path, Map<String, Double>> metricsByFile, JobOutcome outcome) {
        Instant now = workers.clock.instant();
        // an output's usual key is taken when the task already has an artifact of that name (added
        // by hand), or an earlier run's upload never finished: it then goes under a key of its own
        Set<String> taken = files.isEmpty() ? Set.of()
                : workers.artifactRecords.knownKeys(files.stream().map(CollectedFile::storageKey).toList());
        List<Artifact> pending = new ArrayList<>();
        Map<String, Map<String, Double>> metrics = new LinkedHashMap<>();
        for (CollectedFile f : files) {
            String id = Ids.next(now);
            String key = taken.contains(f.storageKey()) ? ownKey(task.id(), id, f) : f.storageKey();
            pending.add(new Artifact(id, task.id(), f.kind(), f.name(), key, f.sizeBytes(), now, false, ArtifactState.PENDING));
            Map<String, Double> m = metricsByFile.get(f.file());
            if (m != null) {
                metrics.put(id, m);
            }
        }
        try {
            workers.artifactRecords.insertArtifacts(pending);
        } catch (ReclaimException e) {
            LOG.info("job {} outputs not registered ({}); discarding them", task.id(), e.getMessage());
            workers.jobs.finishJob(task.id(), workerId, TaskStatus.FAILED, outcome.exitCode(),
                    "outputs could not be registered: " + Problems.describe(e), List.of(), workers.clock.instant());
            return;
        }
        List<String> written = new ArrayList<>();
        Map<String, StoredObject> stored = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            Artifact a = pending.get(i);
            try {
                stored.put(a.id(), storeOutput(a.storageKey(), files.get(i).file(), files.get(i).sizeBytes()));
                written.add(a.storageKey());
            } catch (RuntimeException e) {
                if (e instanceof ObjectExistsException) {
                    workers.artifactRecords.dropPendingArtifact(a.id()); // what is stored under its key is not this output's
                }
                LOG.warn("job {} outputs could not be stored: {}", task.id(), e.toString());
                discard(task, pending, written);
                workers.jobs.finishJob(task.id(), workerId, TaskStatus.FAILED, outcome.exitCode(),
                        "outputs could not be stored: " + Problems.describe(e), List.of(), workers.clock.instant());
                return;
            }
        }
        boolean ended = workers.jobs.finishJob(task.id(), workerId, outcome.status(), outcome.exitCode(), outcome.error(), stored,
                metrics, workers.clock.instant());
        if (!ended) {
            discard(task, pending, written);
        }
    }

    /** Attempts at storing one output when the store fails for a reason other than the key being taken. */
    static final int OUTPUT_ATTEMPTS = 4;

    /**
     * Stores one output, trying again (after 1, 2, 4 s) when the store fails: the output is still in
     * the staging folder, and a job that ran to its end must not fail over a passing network error.
     * The key is this output's alone (its PENDING record holds it, and the store refuses any other
     * upload to it), so when a later attempt finds an object there, it is what an earlier attempt
     * stored although its answer was lost; it is taken as stored once its bytes are seen to be the
     * output's (or, when that attempt moved the staging file into a folder store, its size).
     */
    private StoredObject storeOutput(String key, Path file, long size) {
        dev.reclaim.StoreException failure = null;
        for (int attempt = 0; attempt < OUTPUT_ATTEMPTS; attempt++) {
            if (attempt > 0) {
                try {
                    workers.sleeper.sleep(Duration.ofSeconds(1L << (attempt - 1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // the worker is stopping: give up now
                    throw failure;
                }
            }
            if (failure != null && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                // the failed attempt moved the file into place (a folder store) before its answer was lost
                Optional<StoredObject> moved = sameBytes(key, file, size);
                if (moved.isPresent()) {
                    return moved.get();
                }
                throw failure;
            }
            try {
                return workers.artifacts.putFileWithDigest(key, file, true);
            } catch (ObjectExistsException e) {
                if (failure == null) {
                    throw e; // there before this output's first attempt: not its
                }
                Optional<StoredObject> own = sameBytes(key, file, size);
                if (own.isPresent()) {
                    return own.get();
                }
                throw e;
            } catch (dev.reclaim.StoreException e) {
                failure = e;
                LOG.info("storing {} failed (attempt {} of {}): {}", key, attempt + 1, OUTPUT_ATTEMPTS, e.getMessage());
            }
        }
        throw failure;
    }

    /**
     * What is stored under {@code key}, if its bytes are {@code file}'s; when the file is gone (an
     * earlier attempt moved it there), if it has the file's size.
     */
    private Optional<StoredObject> sameBytes(String key, Path file, long size) {
        boolean moved = !Files.exists(file, LinkOption.NOFOLLOW_LINKS);
        try (InputStream there = workers.artifacts.open(key);
             InputStream mine = moved ? InputStream.nullInputStream() : Files.newInputStream(file)) {
            MessageDigest d = Sha256.newDigest();
            byte[] a = new byte[64 * 1024];
            byte[] b = new byte[64 * 1024];
            long read = 0;
            while (true) {
                int n = there.readNBytes(a, 0, a.length);
                int m = moved ? n : mine.readNBytes(b, 0, b.length);
                if (n != m || (!moved && !Arrays.equals(a, 0, n, b, 0, m))) {
                    return Optional.empty();
                }
                if (n == 0) {
                    return read == size ? Optional.of(new StoredObject(read, Sha256.hex(d)))
                            : Optional.empty();
                }
                d.update(a, 0, n);
                read += n;
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The output's key of its own; its usual key (which the store then refuses) when the name is too long for one. */
    private static String ownKey(String taskId, String artifactId, CollectedFile f) {
        try {
            return ArtifactKeys.ofArtifact(taskId, artifactId, f.kind(), f.name());
        } catch (dev.reclaim.InvalidArgumentException e) {
            return f.storageKey();
        }
    }

    /** The job was canceled or deleted while its outputs were written, or they could not all be stored: remove them again. */
    private void discard(Task task, List<Artifact> outputs, List<String> writtenKeys) {
        Optional<Task> current = workers.catalog.findTask(task.id());
        if (current.isPresent() && current.get().isLive() && !outputs.isEmpty()) {
            // this run's outputs only: anything else the task has is not this run's to remove
            workers.deleter.delete(DeletionMark.artifacts(task.id(), current.get().version(),
                    new TreeSet<>(outputs.stream().map(Artifact::id).toList()),
                    "outputs of a job that was canceled or failed while they were written", "worker " + workerId,
                    workers.clock.instant()), DeletionListener.NONE);
        }
        for (String key : writtenKeys) {
            if (!workers.artifactRecords.isReferencedByLiveArtifact(key)) {
                workers.artifacts.delete(key);
            }
        }
    }

    /**
     * Puts a job stopped by worker shutdown back on its queue, if this worker still holds it.
     * Retried, because the heartbeat may renew the lease (a version bump) between read and write.
     */
    void requeue(Task claimed) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Task> held = workers.catalog.findTask(claimed.id())
                    .filter(t -> t.status() == TaskStatus.RUNNING && workerId.equals(t.workerId()));
            if (held.isEmpty()) {
                return;
            }
            Task t = held.get();
            Task back = t.withStatus(TaskStatus.QUEUED, workers.clock.instant()).toBuilder()
                    .workerId(null).leaseExpiresAt(null).startedAt(null).build();
            if (workers.catalog.replaceTask(back, t.version()).isPresent()) {
                workers.jobs.appendConsole(t.id(), "[reclaim] worker " + workerId + " stopped; job put back on queue "
                        + t.queue() + "\n");
                return;
            }
        }
        LOG.warn("job {} could not be put back on its queue; it shows UNDETERMINED once its lease runs out", claimed.id());
    }

    /** An empty output folder with the subfolders a job writes into (anything left from an earlier run removed). */
    static void createOutputFolders(Path outputDir) {
        createOutputFolder(outputDir);
        createSubfolders(outputDir);
    }

    /** An empty output folder without its subfolders (anything left from an earlier run removed). */
    static void createOutputFolder(Path outputDir) {
        try {
            StagingFolders.delete(outputDir);
            Files.createDirectories(outputDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create job output folder " + outputDir, e);
        }
    }

    /** The subfolders a job writes into, in its output folder. */
    static void createSubfolders(Path outputDir) {
        try {
            for (String sub : OUTPUT_SUBFOLDERS) {
                Files.createDirectories(outputDir.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create job output folder " + outputDir, e);
        }
    }

    private static final List<String> OUTPUT_SUBFOLDERS = List.of("models", "artifacts", "debug");

    /** Removes a job's output folder; never follows links out of it. */
}
