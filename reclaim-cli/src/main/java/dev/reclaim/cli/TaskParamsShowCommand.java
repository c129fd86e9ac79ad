package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.ServiceTask;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code reclaim tasks params show ID [--output table|json]}. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = "Prints a task's parameters, one KEY=VALUE a line (or a JSON object).",
        footerHeading = "%nExample:%n", footer = "  reclaim tasks params show " + ServiceTask.ID)
final class TaskParamsShowCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
    String id;

    @Mixin
    OutputOption output;

    @Override
    boolean readsOnly() {
        return true;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Map<String, String> params = reclaim.tasks().get(id).params();
        if (output.json()) {
            OutputOption.printJson(out(), params);
        } else {
            params.forEach((k, v) -> out().println(k + "=" + v));
        }
        return ExitCodes.OK;
    }
}
