package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reclaim tasks inputs COMMAND}. */
@Command(name = "inputs", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Record which models of other tasks a task uses; such models are never deleted while it lives.",
        subcommands = TaskInputsCommand.Add.class)
final class TaskInputsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }

    /** {@code reclaim tasks inputs add ID MODEL_ARTIFACT_ID}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Records that task ID uses the model artifact MODEL_ARTIFACT_ID (of another task) as input.",
            footerHeading = "%nExample:%n", footer = "  reclaim tasks inputs add $finetune $pretrained_model")
    static final class Add extends HomeCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
        String taskId;

        @Parameters(index = "1", paramLabel = "MODEL_ARTIFACT_ID", description = "Artifact id of a model of another task.")
        String modelId;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            reclaim.tasks().addInputModel(taskId, modelId);
            out().println(taskId + " uses " + modelId);
            return ExitCodes.OK;
        }
    }
}
