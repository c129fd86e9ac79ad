package dev.reclaim.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code reclaim tasks COMMAND}: the task catalog. */
@Command(name = "tasks", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"The task catalog: create tasks, attach artifacts and input models, query, archive, publish "
                + "and delete with the force rules.",
                "Status names are case-insensitive (completed, COMPLETED)."},
        subcommands = {TaskCreateCommand.class, TaskListCommand.class, TaskShowCommand.class, TaskArchiveCommand.class,
                TaskUnarchiveCommand.class, TaskPublishCommand.class, TaskDeleteCommand.class,
                TaskArtifactsCommand.class, TaskInputsCommand.class, TaskParamsCommand.class,
                TaskEnqueueCommand.class, TaskStopCommand.class, TaskHoldCommand.Hold.class, TaskHoldCommand.Release.class},
        footerHeading = "%nExample:%n",
        footer = {"  id=$(reclaim tasks create --name exp-1 --project vision --tag baseline)",
                "  reclaim tasks artifacts add $id --kind model --name best.ckpt ./best.ckpt",
                "  reclaim tasks archive $id && reclaim tasks delete $id"})
final class TasksCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }
}
