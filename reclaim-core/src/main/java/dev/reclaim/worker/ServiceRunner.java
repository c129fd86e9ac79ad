package dev.reclaim.worker;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.cleanup.CleanupBusyException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.CleanupRun;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Runs the Cleanup Service task claimed from a queue, with the settings in its parameters: one
 * run, or (with {@code run_as_service}) a run every period. Its console output and run history
 * belong to the task. It ends after the current batch when {@code tasks stop} tags the task,
 * when the task is canceled or taken away, or when the worker shuts down (then it goes back on
 * its queue for another services worker); otherwise the task becomes a draft again.
 */
final class ServiceRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRunner.class);

    private final Workers workers;
    private final String workerId;

    ServiceRunner(Workers workers, String workerId) {
        this.workers = workers;
        this.workerId = workerId;
    }

    void run(RunningJob job, JobExecution execution) {
        Task task = job.task();
        job.attach(Thread.currentThread());
        String error = null;
        try {
            CleanupSettings settings = ServiceTask.settings(task.params());
            say(task, "Cleanup Service started by worker " + workerId + " with " + settings.toMap());
            BooleanSupplier stop = () -> job.isCanceled() || job.requeueOnStop()
                    || Thread.currentThread().isInterrupted() || stopAsked(task.id());
            CleanupService cleanup = workers.cleanup;
            if (settings.runAsService()) {
                cleanup.runAsService(settings, task.id(), CleanupListener.NONE, workers.sleeper, new Observer(task), stop);
            } else {
                try {
                    CleanupRun run = cleanup.runOnce(settings, task.id(), CleanupListener.NONE, stop);
                    say(task, summary(run));
                    if (run.lostLease()) {
                        error = "the run stopped early: " + run.leaseLost();
                    }
                } catch (CleanupBusyException busy) {
                    error = busy.getMessage();
                    say(task, "not run: " + error);
                }
                say(task, "run_as_service is false, so this was one run; to repeat every cleanup_period_in_days: "
                        + "reclaim tasks params set " + task.id() + " run_as_service=true");
            }
        } catch (InvalidArgumentException e) {
            error = e.getMessage();
            say(task, "not started: " + error);
        } catch (RuntimeException e) {
            LOG.warn("Cleanup Service task {} failed", task.id(), e);
            error = "the service failed: " + Problems.describe(e);
            say(task, error);
        }
        if (job.requeueOnStop()) {
            say(task, "worker " + workerId + " is shutting down; the service goes back on queue " + task.queue());
            execution.requeue(task);
        } else {
            backToDraft(task.id(), error);
        }
        Thread.interrupted(); // a stop by interrupt is handled; the pool thread goes on
    }

    /** True when {@code tasks stop} asked, or the task is no longer this worker's running task. */
    private boolean stopAsked(String taskId) {
        Optional<Task> t = workers.catalog.findTask(taskId);
        return t.isEmpty() || t.get().status() != TaskStatus.RUNNING || !workerId.equals(t.get().workerId())
                || t.get().systemTags().contains(ServiceTask.STOP_REQUESTED);
    }

    private void backToDraft(String taskId, String error) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Task> held = workers.catalog.findTask(taskId)
                    .filter(t -> t.status() == TaskStatus.RUNNING && workerId.equals(t.workerId()));
            if (held.isEmpty()) {
                return;
            }
            Task t = held.get();
            if (workers.catalog.replaceTask(ServiceTask.backToDraft(t, workers.clock.instant(), error), t.version()).isPresent()) {
                workers.jobs.appendConsole(taskId, line("stopped; the task is a draft again (parameters editable; "
                        + "enqueue it to start it again)"));
                return;
            }
        }
        LOG.warn("Cleanup Service task {} could not be made a draft again; `reclaim tasks stop {}` resets it once its lease "
                + "runs out", taskId, taskId);
    }

    private void say(Task task, String text) {
        workers.jobs.appendConsole(task.id(), line(text));
    }

    private String line(String text) {
        return "[" + workers.clock.instant() + "] " + text + "\n";
    }

    static String summary(CleanupRun r) {
        return String.format("run %s%s: %d candidates, %d deleted, %d skipped, %d failed, %d objects, %d bytes freed in %s%s",
                r.id(), r.dryRun() ? " (dry run)" : "", r.candidates(), r.deleted(), r.skipped(), r.failed(), r.objects(),
                r.bytes(), humanDuration(r.duration()), r.stoppedEarly() ? "; stopped early on request" : "")
                + (r.resumed().tasks() > 0 ? String.format("; also finished %d deletion(s) an earlier run left unfinished "
                + "(%d objects, %d bytes freed)", r.resumed().tasks(), r.resumed().objects(), r.resumed().bytes()) : "")
                + (r.lostLease() ? "; stopped early: " + r.leaseLost() : "");
    }

    private static String humanDuration(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : String.format("%.1f s", d.toMillis() / 1000d);
    }

    /** Writes each run's outcome and the next run time to the task's console. */
    private final class Observer implements CleanupService.ServiceObserver {
        private final Task task;

        Observer(Task task) {
            this.task = task;
        }

        @Override
        public void ran(CleanupRun run, Instant next) {
            say(task, summary(run) + "; next run at " + next);
        }

        @Override
        public void busy(CleanupBusyException e, Instant next) {
            say(task, "skipped this period: " + e.getMessage() + "; next try at " + next);
        }

        @Override
        public void failed(RuntimeException e, Instant next) {
            say(task, "run failed: " + Problems.describe(e) + "; next try at " + next);
        }
    }
}
