package dev.reclaim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reclaim jobs COMMAND}: the remote-job API. */
@Command(name = "jobs", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Submit jobs, follow them, fetch their results and clean them up.",
                "A job is a command that writes models/, artifacts/, debug/ and result.json into $RECLAIM_OUTPUT."},
        subcommands = {SubmitCommand.class, StatusCommand.class, WaitCommand.class, CancelCommand.class,
                OutputCommand.class, ResultsCommand.class, ListCommand.class, CleanupCommand.class},
        footerHeading = "%nExample:%n",
        footer = {"  id=$(reclaim jobs submit -- sh -c 'echo 1 > $RECLAIM_OUTPUT/result.json')",
                "  reclaim jobs status $id; reclaim jobs results $id"})
final class JobsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }
}
