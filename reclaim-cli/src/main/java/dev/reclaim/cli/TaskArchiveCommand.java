package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.tasks.ArchiveResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks archive ID...}. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = {"Archives tasks: adds the 'archived' system tag and records the time (the retention clock).",
                "A queued task is dequeued (back to draft), a running one is stopped (canceled).",
                "Exits 0 when every task is archived (or already was), 1 when an id names no task."},
        footerHeading = "%nExample:%n", footer = "  reclaim tasks archive $id1 $id2")
final class TaskArchiveCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
    List<String> ids;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        return print(reclaim.tasks().archive(ids));
    }

    int print(List<ArchiveResult> results) {
        int code = ExitCodes.OK;
        for (ArchiveResult r : results) {
            if (r.message().startsWith("no task")) {
                err().println(r.taskId() + ": " + r.message());
                code = ExitCodes.FAILED;
            } else {
                out().println(r.taskId() + " " + r.message());
            }
        }
        return code;
    }
}
