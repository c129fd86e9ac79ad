package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim jobs status ID...}. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Prints a job's status: QUEUED, RUNNING, FINISHED, FAILED, CANCELED, UNDETERMINED "
                + "(its worker stopped renewing its lease) or MISSING (never existed, or cleaned up).",
                "With several ids, prints 'ID STATUS' per line. An unknown id is MISSING, not an error."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim jobs status 0193e4c2a1b87f3c9d2e", "  reclaim jobs status $id1 $id2"})
final class StatusCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Job ids.")
    List<String> ids;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        if (ids.size() == 1) {
            out().println(reclaim.jobs().status(ids.get(0)));
        } else {
            for (String id : ids) {
                out().println(id + " " + reclaim.jobs().status(id));
            }
        }
        return ExitCodes.OK;
    }
}
