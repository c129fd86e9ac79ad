package dev.reclaim.jobs;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.DeletionMark;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The single-job cleanup rule (docs/rules.md section 2):
 * <pre>
 * status                              force=false                     force=true
 * FINISHED, results never retrieved   skip, say how to proceed        delete
 * FINISHED, results retrieved         delete                          delete
 * FAILED, CANCELED                    delete                          delete
 * QUEUED, RUNNING                     skip: cancel first or force     cancel, then delete
 * UNDETERMINED                        skip                            delete
 * MISSING                             already gone (not an error)     same
 * </pre>
 * Decided: a PUBLISHED job needs force (the catalog protects published tasks the same way).
 */
final class JobCleanup {
    private static final int CHANGED_RETRIES = 5;

    private final Jobs jobs;

    JobCleanup(Jobs jobs) {
        this.jobs = jobs;
    }

    CleanupReport cleanupOne(String id, boolean force, DeletionListener listener) {
        Recorder rec = new Recorder(listener);
        for (int attempt = 0; attempt < CHANGED_RETRIES; attempt++) {
            Optional<Task> found = jobs.catalog.findTask(id);
            if (found.isEmpty()) {
                return report(id, JobStatus.MISSING, CleanupReport.Outcome.ALREADY_GONE,
                        "job " + id + " is already gone (never submitted, or cleaned up)", rec, 0, 0);
            }
            Task task = found.get();
            if (!task.isLive()) {
                return finish(id, JobStatus.MISSING, jobs.deleter.resumeTask(id, rec), rec);
            }
            JobStatus status = jobs.statusOf(task);
            String skip = force ? null : ServiceTask.is(task)
                    ? ServiceTask.deletionNeedsForce(task) : skipReason(id, task, status);
            if (skip != null) {
                return report(id, status, CleanupReport.Outcome.SKIPPED_NEEDS_FORCE, skip, rec, 0, 0);
            }
            if (status == JobStatus.QUEUED || status == JobStatus.RUNNING) {
                jobs.cancel(id);
                continue;
            }
            // a batch job whose monitor died (UNDETERMINED) may still run on its manager: stop it first
            jobs.cancelExternally(id);
            removeOutputFolder(id);
            DeletionReport r = jobs.deleter.delete(DeletionMark.wholeTask(id, task.version()).refusingHeld(!force)
                    .because("jobs cleanup" + (force ? " (force)" : ""), jobs.user, jobs.clock.instant()), rec);
            if (r.outcome() == DeletionReport.Outcome.DELETED && ServiceTask.is(task)) {
                ServiceTask.replaceAfterDeletion(jobs.catalog, jobs.clock.instant());
            }
            if (r.outcome() != DeletionReport.Outcome.CHANGED) {
                return finish(id, status, r, rec);
            }
        }
        return report(id, jobs.status(id), CleanupReport.Outcome.FAILED,
                "job " + id + " kept changing while it was being cleaned up; try again", rec, 0, 0);
    }

    private static String skipReason(String id, Task task, JobStatus status) {
        return switch (status) {
            case FINISHED -> task.status() == TaskStatus.PUBLISHED
                    ? "job " + id + " is published; published jobs are kept unless you pass force"
                    : task.resultsRetrievedAt() == null
                    ? "job " + id + " finished but its results were never retrieved; fetch them first with "
                    + "'reclaim jobs results " + id + "' (Java: jobs.results(id)), which also cleans up, or pass force to delete them unread"
                    : null;
            case QUEUED, RUNNING -> "job " + id + " is " + status + "; cancel it first with 'reclaim jobs cancel " + id
                    + "', or pass force to cancel and delete it";
            case UNDETERMINED -> "the state of job " + id + " cannot be determined (its worker stopped renewing its lease"
                    + (task.status() == TaskStatus.CREATED ? ", or it is a draft" : "") + "); pass force to delete it anyway";
            default -> null;
        };
    }

    /** Removes the output folder a dead job left in this process's staging area. */
    private void removeOutputFolder(String id) {
        Path folder = jobs.stagingRoot.resolve(id);
        if (Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            StagingFolders.delete(folder);
        }
    }

    private static CleanupReport finish(String id, JobStatus before, DeletionReport r, Recorder rec) {
        return switch (r.outcome()) {
            case DELETED -> report(id, before, CleanupReport.Outcome.DELETED, null, rec, r.objects(), r.bytes());
            case NOT_FOUND -> report(id, JobStatus.MISSING, CleanupReport.Outcome.ALREADY_GONE,
                    "job " + id + " is already gone", rec, 0, 0);
            default -> report(id, before, CleanupReport.Outcome.FAILED, "job " + id + ": " + r.message(), rec,
                    r.objects(), r.bytes());
        };
    }

    private static CleanupReport report(String id, JobStatus before, CleanupReport.Outcome outcome, String message,
                                        Recorder rec, long objects, long bytes) {
        return new CleanupReport(id, before, outcome, message, objects, bytes, rec.lines);
    }

    /** Passes deletions on and keeps them for the report. */
    private static final class Recorder implements DeletionListener {
        private final DeletionListener next;
        private final List<String> lines = new ArrayList<>();

        Recorder(DeletionListener next) {
            this.next = next;
        }

        @Override
        public void objectDeleted(String storageKey, long bytes) {
            lines.add("object " + storageKey);
            next.objectDeleted(storageKey, bytes);
        }

        @Override
        public void recordDeleted(String description) {
            lines.add("record " + description);
            next.recordDeleted(description);
        }
    }
}
