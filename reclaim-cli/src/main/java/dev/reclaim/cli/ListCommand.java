package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.jobs.JobFilter;
import dev.reclaim.jobs.JobInfo;
import dev.reclaim.model.JobStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/** {@code reclaim jobs list [--state S]... [--start-time T] [--end-time T] [--output table|json]}. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Lists jobs, oldest first: id, name, status, last modification (UTC) and queue.",
                "--start-time and --end-time bound the submission time, both inclusive."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim jobs list --state finished --state failed",
                "  reclaim jobs list --start-time 2026-01-01T00:00:00Z --output json",
                "  reclaim jobs list --end-time 1767225600      # epoch seconds"})
final class ListCommand extends HomeCommand {
    @Option(names = "--state", paramLabel = "S", converter = Converters.StateConverter.class,
            description = "Only jobs in this state (repeatable): QUEUED, RUNNING, FINISHED, FAILED, CANCELED, UNDETERMINED.")
    List<JobStatus> states = new ArrayList<>();

    @Option(names = "--start-time", paramLabel = "T", converter = Converters.InstantConverter.class,
            description = "Only jobs submitted at or after T: ISO-8601 UTC (2026-01-01T00:00:00Z) or epoch seconds.")
    Instant startTime;

    @Option(names = "--end-time", paramLabel = "T", converter = Converters.InstantConverter.class,
            description = "Only jobs submitted at or before T: ISO-8601 UTC or epoch seconds.")
    Instant endTime;

    @Mixin
    OutputOption output;

    private JobFilter filter;

    @Override
    void validate() {
        filter = new JobFilter(states.isEmpty() ? EnumSet.noneOf(JobStatus.class) : EnumSet.copyOf(states),
                startTime, endTime);
    }

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        List<JobInfo> jobs = reclaim.jobs().list(filter);
        if (output.json()) {
            OutputOption.printJson(out(), jobs);
        } else {
            printTable(jobs, out());
        }
        return ExitCodes.OK;
    }

    private static void printTable(List<JobInfo> jobs, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "NAME", "STATUS", "MODIFIED", "QUEUE"});
        for (JobInfo j : jobs) {
            rows.add(new String[] {j.id(), j.name(), j.status().name(), Text.time(j.modifiedAt()),
                    j.queue() == null ? "-" : j.queue()});
        }
        Table.print(rows, out);
    }
}
