package dev.reclaim.cli;

import dev.reclaim.cleanup.ServiceTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reclaim tasks params COMMAND}: a task's parameters. */
@Command(name = "params", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"A task's parameters. The Cleanup Service task keeps its settings here "
                + "(delete_threshold_days, cleanup_period_in_days, force_delete, run_as_service, dry_run, age_basis, "
                + "projects, keep_last, page_size, parallelism); they are validated when set."},
        subcommands = {TaskParamsSetCommand.class, TaskParamsShowCommand.class},
        footerHeading = "%nExample:%n",
        footer = {"  reclaim tasks params set " + ServiceTask.ID + " delete_threshold_days=14 run_as_service=true",
                "  reclaim tasks params show " + ServiceTask.ID})
final class TaskParamsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }
}
