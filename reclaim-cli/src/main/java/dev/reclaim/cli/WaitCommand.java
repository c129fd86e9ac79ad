package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Task;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;

/** {@code reclaim jobs wait ID [--timeout DURATION]}. */
@Command(name = "wait", mixinStandardHelpOptions = true,
        description = {"Blocks until the job ends and prints its final status.",
                "Exits 0 when it FINISHED, 1 otherwise (failed, canceled, undetermined, missing, or still running "
                        + "when the timeout passed)."},
        footerHeading = "%nExample:%n",
        footer = {"  reclaim jobs wait --timeout 10m $id && reclaim jobs results $id"})
final class WaitCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Job id.")
    String id;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = Converters.DurationConverter.class,
            description = "Stop waiting after this long, e.g. 30s, 10m, PT1H. Default: no limit.")
    Duration timeout;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        if (reclaim.jobs().status(id) == JobStatus.QUEUED) {
            // Read only, for the hint: the job API does not expose a job's queue by id.
            reclaim.tasks().find(id).map(Task::queue).filter(q -> !reclaim.hasLiveWorker(q)).ifPresent(q ->
                    err().println("job " + id + " waits on queue " + q + ", which no live worker serves; start one with: "
                            + "./reclaim" + homeOption(home) + " worker --queue " + q));
            err().flush();
        }
        JobStatus status = reclaim.jobs().waitFor(id, timeout);
        out().println(status);
        if (status == JobStatus.FINISHED) {
            return ExitCodes.OK;
        }
        if (status == JobStatus.QUEUED || status == JobStatus.RUNNING) {
            err().println("job " + id + " is still " + status + " after " + Text.duration(timeout));
        } else {
            err().println(JobDescriptions.ended(reclaim, id, status));
        }
        return ExitCodes.FAILED;
    }
}
