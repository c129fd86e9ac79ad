package dev.reclaim.worker;

import dev.reclaim.Problems;
import dev.reclaim.Reclaim;
import dev.reclaim.ReclaimException;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.JobFunction;
import dev.reclaim.jobs.JobSpecs;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.TaskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one claimed job and registers its outputs with the write protocol (design.md): each file
 * is registered as a PENDING artifact, moved into the artifact store, then made LIVE in the same
 * transaction that ends the job. If the job was canceled or deleted meanwhile, what it wrote is
 * removed again. The output folder is removed in every case.
 */
final class JobExecution {
    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);

    private final Reclaim reclaim;
    private final String workerId;

    JobExecution(Reclaim reclaim, String workerId) {
        this.reclaim = reclaim;
        this.workerId = workerId;
    }

    void run(RunningJob job) {
        Task task = job.task();
        if (ServiceTask.TYPE.equals(task.type())) {
            new ServiceRunner(reclaim, workerId).run(job, this);
            return;
        }
        Path outputDir = reclaim.stagingRoot().resolve(task.id());
        try {
            createOutputFolders(outputDir);
            JobOutcome outcome;
            boolean command;
            List<CollectedFile> files = List.of();
            try (ConsoleSink console = new ConsoleSink(task.id(), reclaim.taskStore(), outputDir.resolve(OutputCollector.CONSOLE_FILE))) {
                job.attach(console);
                String kind = JobSpecs.kindOf(task.spec());
                command = JobSpecs.COMMAND.equals(kind);
                if (command) {
                    outcome = CommandRunner.run(task.id(), JobSpecs.commandFromJson(task.name(), task.project(), task.spec()),
                            outputDir, console, job);
                } else {
                    Optional<JobFunction<?>> fn = reclaim.functions().take(task.id());
                    outcome = fn.isPresent()
                            ? FunctionRunner.run(task.id(), fn.get(), outputDir, console, job)
                            : JobOutcome.failed(null, "this process does not have the job's Java function; "
                            + "function jobs run only in the process that submitted them");
                }
                if (!job.requeueOnStop() && !job.isCanceled()) {
                    // Collected while the console is open: a skipped file is reported in console.log,
                    // which is what the job's output is once it ended, not only in the store's copy.
                    files = OutputCollector.collect(task.id(), outputDir, warning -> console.append("[reclaim] " + warning + "\n"));
                }
            }
            if (job.requeueOnStop()) {
                requeue(task);
            } else if (!job.isCanceled()) {
                List<CollectedFile> all = new ArrayList<>(files);
                OutputCollector.consoleLog(task.id(), outputDir, command).ifPresent(all::add);
                register(task, all, outcome);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            requeue(task);
        } finally {
            deleteFolder(outputDir);
        }
    }

    private void register(Task task, List<CollectedFile> files, JobOutcome outcome) {
        TaskStore store = reclaim.taskStore();
        Instant now = reclaim.clock().instant();
        List<Artifact> pending = new ArrayList<>();
        for (CollectedFile f : files) {
            pending.add(new Artifact(Ids.next(now), task.id(), f.kind(), f.name(), f.storageKey(), f.sizeBytes(), now,
                    false, ArtifactState.PENDING));
        }
        try {
            store.insertArtifacts(pending);
        } catch (ReclaimException e) {
            LOG.info("job {} outputs not registered ({}); discarding them", task.id(), e.getMessage());
            return;
        }
        List<String> written = new ArrayList<>();
        try {
            for (CollectedFile f : files) {
                reclaim.artifactStore().putFile(f.storageKey(), f.file(), true);
                written.add(f.storageKey());
            }
        } catch (RuntimeException e) {
            LOG.warn("job {} outputs could not be stored: {}", task.id(), e.toString());
            discard(task, written);
            store.finishJob(task.id(), workerId, TaskStatus.FAILED, outcome.exitCode(),
                    "outputs could not be stored: " + Problems.describe(e), List.of(), reclaim.clock().instant());
            return;
        }
        List<String> ids = pending.stream().map(Artifact::id).toList();
        boolean ended = store.finishJob(task.id(), workerId, outcome.status(), outcome.exitCode(), outcome.error(), ids,
                reclaim.clock().instant());
        if (!ended) {
            discard(task, written);
        }
    }

    /** The job was canceled or deleted while its outputs were written: remove them again. */
    private void discard(Task task, List<String> writtenKeys) {
        TaskStore store = reclaim.taskStore();
        Optional<Task> current = store.findTask(task.id());
        if (current.isPresent() && current.get().isLive()) {
            reclaim.deleter().delete(new DeletionMark(task.id(), current.get().version(), false, true, false,
                    "outputs of a job that was canceled while they were written", "worker " + workerId,
                    reclaim.clock().instant()), DeletionListener.NONE);
        }
        for (String key : writtenKeys) {
            if (!store.isReferencedByLiveArtifact(key)) {
                reclaim.artifactStore().delete(key);
            }
        }
    }

    /**
     * Puts a job stopped by worker shutdown back on its queue, if this worker still holds it.
     * Retried, because the heartbeat may renew the lease (a version bump) between read and write.
     */
    void requeue(Task claimed) {
        TaskStore store = reclaim.taskStore();
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Task> held = store.findTask(claimed.id())
                    .filter(t -> t.status() == TaskStatus.RUNNING && workerId.equals(t.workerId()));
            if (held.isEmpty()) {
                return;
            }
            Task t = held.get();
            Task back = t.withStatus(TaskStatus.QUEUED, reclaim.clock().instant()).toBuilder()
                    .workerId(null).leaseExpiresAt(null).startedAt(null).build();
            if (store.replaceTask(back, t.version()).isPresent()) {
                store.appendConsole(t.id(), "[reclaim] worker " + workerId + " stopped; job put back on queue "
                        + t.queue() + "\n");
                return;
            }
        }
        LOG.warn("job {} could not be put back on its queue; it shows UNDETERMINED once its lease runs out", claimed.id());
    }

    private static void createOutputFolders(Path outputDir) {
        try {
            deleteFolder(outputDir);
            for (String sub : List.of("models", "artifacts", "debug")) {
                Files.createDirectories(outputDir.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create job output folder " + outputDir, e);
        }
    }

    /** Removes a job's output folder; never follows links out of it. */
    static void deleteFolder(Path dir) {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not remove job output folder {}: {}", dir, e.toString());
        }
    }
}
