package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tasks.Tasks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code reclaim tasks stop ID [--no-wait] [--timeout D]}. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = {"Stops the Cleanup Service task cleanly: a running service finishes its current batch, then becomes "
                + "a draft again (parameters editable, ready to enqueue); a queued one is taken off its queue; one whose "
                + "worker died is reset at once. Jobs are canceled with reclaim jobs cancel instead.",
                "Waits until it has stopped unless --no-wait. Exits 0 when stopped (or not running), 1 when it is still "
                        + "running at the timeout, 2 for a task that is not a service."},
        footerHeading = "%nExample:%n", footer = "  reclaim tasks stop " + ServiceTask.ID)
final class TaskStopCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
    String id;

    @Option(names = "--no-wait", description = "Return once the stop is requested.")
    boolean noWait;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "5m", converter = Converters.DurationConverter.class,
            description = "How long to wait for a running service to finish its batch. Default: ${DEFAULT-VALUE}.")
    Duration timeout;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Tasks.StopOutcome outcome = reclaim.tasks().stop(id);
        switch (outcome) {
            case NOT_RUNNING -> out().println(id + " is not queued or running; nothing to stop");
            case DEQUEUED -> out().println(id + " taken off its queue; it is a draft again");
            case RESET -> out().println(id + " reset to a draft: its worker had stopped heartbeating");
            case STOPPING -> {
                out().println(id + " stopping: the current batch finishes first");
                out().flush();
                if (!noWait) {
                    return awaitStopped(reclaim);
                }
            }
        }
        return ExitCodes.OK;
    }

    private int awaitStopped(Reclaim reclaim) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Task t = reclaim.tasks().get(id);
            if (t.status() != TaskStatus.RUNNING) {
                out().println(id + " stopped" + (t.status() == TaskStatus.QUEUED ? " and back on queue " + t.queue() : ""));
                return ExitCodes.OK;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        err().println(id + " is still running after " + Text.duration(timeout) + "; it stops after its current batch "
                + "(see reclaim jobs output " + id + ")");
        return ExitCodes.FAILED;
    }
}
