package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.jobs.JobResults;
import dev.reclaim.jobs.ResultsUnavailableException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code reclaim jobs results ID [--keep | --auto-cleanup] [--console-output]}. */
@Command(name = "results", mixinStandardHelpOptions = true,
        description = {"Prints a finished job's result.json (its console output first, if asked).",
                "Unless the job was submitted with --no-auto-cleanup, or --keep is given here, the job's artifacts "
                        + "and record are then deleted. Without auto-cleanup the results can be fetched again.",
                "Exits 1 with the reason when there are no results (not finished, failed, canceled or missing)."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim jobs results --keep $id > result.json", "  reclaim jobs results --console-output $id"})
final class ResultsCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Job id.")
    String id;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Cleanup cleanup;

    @Option(names = "--console-output", description = "Print the console output before the result.")
    boolean consoleOutput;

    /** --keep or --auto-cleanup; neither: the job's submitted value, else the default (auto-cleanup). */
    static final class Cleanup {
        @Option(names = "--keep", required = true, description = "Keep the job and its artifacts after the hand-back.")
        boolean keep;

        @Option(names = "--auto-cleanup", required = true, description = "Delete the job and its artifacts after the hand-back.")
        boolean autoCleanup;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Boolean autoCleanup = cleanup == null ? null : cleanup.keep ? Boolean.FALSE : Boolean.TRUE;
        JobResults results;
        try {
            results = reclaim.jobs().results(id, consoleOutput ? Boolean.TRUE : null, autoCleanup);
        } catch (ResultsUnavailableException e) {
            err().println(e.getMessage());
            return ExitCodes.FAILED;
        }
        if (results.consoleOutput() != null) {
            out().print(Text.withNewline(results.consoleOutput()));
        }
        if (results.resultJson() != null) {
            out().print(Text.withNewline(results.resultJson()));
        } else {
            err().println("job " + id + " wrote no result.json");
        }
        err().println(results.cleanedUp()
                ? "job " + id + " cleaned up: its artifacts and record were deleted after the hand-back"
                : "job " + id + " kept; fetch again, or remove it with: reclaim jobs cleanup " + id);
        return ExitCodes.OK;
    }
}
