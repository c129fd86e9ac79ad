package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.jobs.CleanupReport;
import dev.reclaim.jobs.JobFilter;
import dev.reclaim.jobs.JobInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code reclaim jobs cleanup ID... | --all [--force] [--quiet]}. */
@Command(name = "cleanup", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletes jobs with all their artifacts and records, printing each object and record it deletes.",
                "Without --force a job is skipped (with the reason and the way forward) when it finished but its "
                        + "results were never retrieved, is still queued or running, or is undetermined.",
                "Exit: 0 every job cleaned or already gone, 3 some skipped for needing --force, 1 some failed "
                        + "(they resume on the next cleanup), 2 bad usage."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim jobs cleanup $id", "  reclaim jobs cleanup --all --force --quiet"})
final class CleanupCommand extends HomeCommand {
    @Parameters(arity = "0..*", paramLabel = "ID", description = "Jobs to clean up.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--all", description = "Clean up every job.")
    boolean all;

    @Option(names = "--force", description = "Also delete unretrieved results, queued or running jobs (canceled first) "
            + "and undetermined jobs.")
    boolean force;

    @Option(names = "--quiet", description = "Print only skipped and failed jobs.")
    boolean quiet;

    @Override
    void validate() {
        if (ids.isEmpty() && !all) {
            throw new ParameterException(spec.commandLine(), "give the ids of the jobs to clean up, or --all");
        }
        if (!ids.isEmpty() && all) {
            throw new ParameterException(spec.commandLine(), "give either job ids or --all, not both");
        }
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        List<String> targets = all ? reclaim.jobs().list(JobFilter.all()).stream().map(JobInfo::id).toList() : ids;
        if (targets.isEmpty() && !quiet) {
            out().println("no jobs to clean up");
        }
        PrintWriter out = out();
        DeletionListener listener = quiet ? DeletionListener.NONE : new DeletionListener() {
            @Override
            public void objectDeleted(String storageKey, long bytes) {
                out.println("deleted object " + storageKey + " (" + Text.bytes(bytes) + ")");
            }

            @Override
            public void recordDeleted(String description) {
                out.println("deleted record " + description);
            }
        };
        boolean failed = false;
        boolean skipped = false;
        for (String id : targets) {
            CleanupReport r = reclaim.jobs().cleanup(id, force, listener);
            switch (r.outcome()) {
                case DELETED -> {
                    if (!quiet) {
                        out.println("job " + id + " cleaned up (" + r.objects() + " object(s), " + Text.bytes(r.bytes())
                                + " freed)");
                    }
                }
                case ALREADY_GONE -> {
                    if (!quiet) {
                        out.println("job " + id + " already gone (never submitted, or cleaned up before)");
                    }
                }
                case SKIPPED_NEEDS_FORCE -> {
                    skipped = true;
                    err().println("skipped: " + r.message() + " [to force: reclaim jobs cleanup --force " + id + "]");
                }
                case FAILED -> {
                    failed = true;
                    err().println("failed: " + r.message());
                }
            }
            out.flush();
        }
        return failed ? ExitCodes.FAILED : skipped ? ExitCodes.NEEDS_FORCE : ExitCodes.OK;
    }
}
