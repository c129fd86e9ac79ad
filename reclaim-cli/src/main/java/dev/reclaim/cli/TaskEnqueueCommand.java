package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reclaim tasks enqueue ID [--queue Q]}. */
@Command(name = "enqueue", mixinStandardHelpOptions = true,
        description = {"Puts the Cleanup Service task on a queue; a worker in services mode (reclaim worker --services) "
                + "runs it with its parameters, as one run or, with run_as_service=true, every cleanup_period_in_days "
                + "until stopped (reclaim tasks stop ID). Its console output and run history belong to the task.",
                "Only that task can be enqueued (jobs are submitted with reclaim jobs submit), and only as a draft. "
                        + "Its parameters are checked first: bad ones exit 2 and change nothing."},
        footerHeading = "%nExample:%n",
        footer = {"  reclaim tasks params set " + ServiceTask.ID + " run_as_service=true",
                "  reclaim tasks enqueue " + ServiceTask.ID + " --queue services",
                "  reclaim worker --services"})
final class TaskEnqueueCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id (the Cleanup Service task: " + ServiceTask.ID + ").")
    String id;

    @Option(names = "--queue", paramLabel = "Q", defaultValue = ServiceTask.QUEUE,
            description = "Queue to put it on. Default: ${DEFAULT-VALUE}.")
    String queue;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        var t = reclaim.tasks().enqueue(id, queue);
        out().println(id + " queued on " + t.queue());
        if (!reclaim.hasLiveWorker(t.queue())) {
            err().println("note: no live worker serves queue " + t.queue() + " yet; start one: reclaim worker "
                    + (ServiceTask.QUEUE.equals(t.queue()) ? "--services" : "--queue " + t.queue()));
        }
        return ExitCodes.OK;
    }
}
