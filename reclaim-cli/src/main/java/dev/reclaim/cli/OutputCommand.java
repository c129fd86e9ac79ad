package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code reclaim jobs output ID}. */
@Command(name = "output", mixinStandardHelpOptions = true,
        description = {"Prints the job's console output so far (stdout and stderr of its command). "
                + "Never deletes anything.",
                "Exits 1 when the job does not exist (never submitted, or cleaned up)."},
        footerHeading = "%nExample:%n",
        footer = {"  reclaim jobs output $id | tail -20"})
final class OutputCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Job id.")
    String id;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        if (reclaim.jobs().status(id) == JobStatus.MISSING) {
            err().println("job " + id + " does not exist (never submitted, or already cleaned up); it has no output");
            return ExitCodes.FAILED;
        }
        out().print(Text.withNewline(reclaim.jobs().output(id)));
        return ExitCodes.OK;
    }
}
