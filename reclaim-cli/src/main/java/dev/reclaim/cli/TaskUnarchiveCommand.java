package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks unarchive ID...}. */
@Command(name = "unarchive", mixinStandardHelpOptions = true,
        description = {"Unarchives tasks: removes the 'archived' system tag and clears the archive time.",
                "Exits 0 when every task is unarchived (or was not archived), 1 when an id names no task."},
        footerHeading = "%nExample:%n", footer = "  reclaim tasks unarchive $id")
final class TaskUnarchiveCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
    List<String> ids;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        TaskArchiveCommand printer = new TaskArchiveCommand();
        printer.spec = spec;
        return printer.print(reclaim.tasks().unarchive(ids));
    }
}
