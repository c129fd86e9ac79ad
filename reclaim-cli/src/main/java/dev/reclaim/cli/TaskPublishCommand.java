package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.TaskNotFoundException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks publish ID...}. */
@Command(name = "publish", mixinStandardHelpOptions = true,
        description = {"Publishes completed tasks and their output models. Published tasks are deleted only with --force, "
                + "and their published models are kept even then.",
                "Exits 0 when all were published, 1 when a task is missing or not completed."},
        footerHeading = "%nExample:%n", footer = "  reclaim tasks publish $id")
final class TaskPublishCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
    List<String> ids;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        int code = ExitCodes.OK;
        for (String id : ids) {
            try {
                reclaim.tasks().publish(id);
                out().println(id + " published");
            } catch (InvalidArgumentException | TaskNotFoundException e) {
                err().println(id + " not published: " + e.getMessage());
                code = ExitCodes.FAILED;
            }
        }
        return code;
    }
}
