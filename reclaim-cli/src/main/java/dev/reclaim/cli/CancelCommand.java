package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim jobs cancel ID...}. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
        description = {"Cancels QUEUED or RUNNING jobs: stops them, removes all their artifacts (results too) "
                + "and keeps their records as CANCELED.",
                "Prints what happened per id; exits 0 if all were canceled, 1 if any could not be."},
        footerHeading = "%nExample:%n",
        footer = {"  reclaim jobs cancel $id && reclaim jobs cleanup $id"})
final class CancelCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Job ids.")
    List<String> ids;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        int code = ExitCodes.OK;
        for (String id : ids) {
            if (reclaim.jobs().cancel(id)) {
                out().println(id + " canceled");
                continue;
            }
            JobStatus status = reclaim.jobs().status(id);
            out().println(id + " not canceled: " + (status == JobStatus.MISSING
                    ? "it does not exist (never submitted, or already cleaned up)"
                    : "it is " + status + "; only QUEUED or RUNNING jobs can be canceled"));
            code = ExitCodes.FAILED;
        }
        return code;
    }
}
