package dev.reclaim.tasks;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.NotFoundException;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.delete.Deleter;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Task;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.DeletionQueue;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.SimulatedDeletions;
import dev.reclaim.store.TaskCatalog;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Deleting single artifacts of a task ({@code reclaim tasks artifacts rm}, {@code DELETE
 * /api/v1/tasks/{id}/artifacts/{aid}}) through the deletion engine, with the task rules: without
 * force, a published model, a model another live task uses as input, and anything on hold (the
 * artifact or its task) are refused, re-checked in the transaction that marks them; with force,
 * holds are released (audited) and protected models are kept, detached from the task.
 */
public final class ArtifactDeletions {
    /** Most artifacts one call deletes. */
    public static final int MAX_ARTIFACTS = 1000;
    private static final int CHANGED_RETRIES = 5;

    private final TaskCatalog catalog;
    private final ArtifactCatalog records;
    private final DeletionQueue queue;
    private final Deleter deleter;
    private final Clock clock;
    private final String user;

    /**
     * @param store   the tasks, their artifact records, and the queue a dry run previews marks with
     * @param deleter deletes what is marked
     * @param clock   time source
     * @param user    who deletes, for the audit trail
     */
    public <S extends TaskCatalog & ArtifactCatalog & DeletionQueue> ArtifactDeletions(S store, Deleter deleter, Clock clock,
                                                                                       String user) {
        this.catalog = store;
        this.records = store;
        this.queue = store;
        this.deleter = deleter;
        this.clock = clock;
        this.user = user;
    }

    /**
     * Deletes these artifacts of the task, or with {@code dryRun} says what that would do.
     *
     * @throws InvalidArgumentException when no artifact, or more than {@value #MAX_ARTIFACTS}, are named
     * @throws NotFoundException        when the task, or one of the artifacts as a LIVE artifact of it, does not exist
     */
    public ArtifactDeleteResult delete(String taskId, Collection<String> artifactIds, boolean force, boolean dryRun) {
        Set<String> ids = new TreeSet<>(artifactIds);
        if (ids.isEmpty() || ids.size() > MAX_ARTIFACTS) {
            throw new InvalidArgumentException("name between 1 and " + MAX_ARTIFACTS + " artifacts to delete, not " + ids.size()
                    + "; list the task's artifacts with: reclaim tasks artifacts list " + taskId);
        }
        for (int attempt = 0; attempt < CHANGED_RETRIES; attempt++) {
            Task t = catalog.findTask(taskId).orElseThrow(() -> new TaskNotFoundException(taskId));
            if (!t.isLive()) {
                throw new NotFoundException("task " + taskId + " is being deleted; its artifacts go with it");
            }
            requireLiveArtifactsOf(taskId, ids);
            DeletionMark mark = DeletionMark.someArtifacts(taskId, t.version(), ids).refusingPublished(!force)
                    .refusingHeld(!force).because("tasks artifacts rm" + (force ? " (force)" : ""), user, clock.instant());
            if (dryRun) {
                MarkResult r = queue.previewAllDeletions(List.of(mark), SimulatedDeletions.NONE).results().get(0);
                if (r.outcome() == MarkResult.Outcome.CHANGED) {
                    continue;
                }
                long bytes = r.queued().values().stream().mapToLong(Long::longValue).sum();
                return result(taskId, ids, r.outcome() == MarkResult.Outcome.MARKED, true, r.outcome(), r.reason(),
                        r.keptModelIds(), r.queued().size(), bytes);
            }
            DeletionReport r = deleter.delete(mark, DeletionListener.NONE);
            if (r.outcome() == DeletionReport.Outcome.CHANGED) {
                continue;
            }
            MarkResult.Outcome o = switch (r.outcome()) {
                case DELETED -> MarkResult.Outcome.MARKED;
                case REFUSED -> MarkResult.Outcome.REFUSED;
                case NOT_FOUND -> MarkResult.Outcome.NOT_FOUND;
                default -> null;
            };
            return result(taskId, ids, r.outcome() == DeletionReport.Outcome.DELETED, false, o,
                    r.outcome() == DeletionReport.Outcome.INCOMPLETE ? r.message() + "; the deletion resumes on the next "
                            + "cleanup or fsck --repair" : r.message(), r.keptModelIds(), r.objects(), r.bytes());
        }
        throw new InvalidArgumentException("task " + taskId + " kept changing while its artifacts were being deleted; try again");
    }

    private void requireLiveArtifactsOf(String taskId, Set<String> ids) {
        List<String> missing = new ArrayList<>();
        for (String id : ids) {
            Artifact a = records.findArtifact(id).orElse(null);
            if (a == null || !taskId.equals(a.taskId()) || a.state() != ArtifactState.LIVE) {
                missing.add(id);
            }
        }
        if (!missing.isEmpty()) {
            throw new NotFoundException("task " + taskId + " has no live artifact " + String.join(", ", missing)
                    + "; nothing was deleted. List its artifacts with: reclaim tasks artifacts list " + taskId);
        }
    }

    private static ArtifactDeleteResult result(String taskId, Set<String> ids, boolean deleted, boolean dryRun,
                                               MarkResult.Outcome outcome, String message, List<String> kept, long objects,
                                               long bytes) {
        boolean refused = outcome == MarkResult.Outcome.REFUSED;
        String error = deleted ? null : refused ? message + "; nothing was deleted. Pass force to delete anyway (holds are "
                + "then released; published models and models in use are kept, detached from the task)" : message;
        return new ArtifactDeleteResult(taskId, deleted, dryRun, refused, error, List.copyOf(ids), kept, objects, bytes);
    }
}
