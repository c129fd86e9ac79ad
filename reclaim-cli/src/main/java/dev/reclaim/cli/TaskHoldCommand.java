package dev.reclaim.cli;

import dev.reclaim.NotFoundException;
import dev.reclaim.Reclaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks hold ID... [--reason TEXT]} and {@code reclaim tasks release ID...}. */
final class TaskHoldCommand {
    private TaskHoldCommand() {
    }

    /** {@code reclaim tasks hold}. */
    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = {"Puts tasks on hold: no Cleanup Service run, no retention rule and no delete without --force "
                    + "deletes them or anything they hold. A delete with --force releases the hold first, and says so in "
                    + "the audit trail.",
                    "Holds are listed by 'reclaim holds'; each hold and release is an audit line ('reclaim audit --task ID').",
                    "Exits 0 when all are held (or already were), 1 when a task is missing."},
            footerHeading = "%nExample:%n", footer = "  reclaim tasks hold $id --reason 'results of the paper'")
    static final class Hold extends HomeCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
        List<String> ids;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail and the list of holds.")
        String reason;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            return each(ids, id -> reclaim.holds().holdTask(id, reason) ? id + " held" : id + " was already on hold", this);
        }
    }

    /** {@code reclaim tasks release}. */
    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Takes tasks off hold; the holds of their artifacts stay ('reclaim tasks artifacts release').",
                    "Exits 0 when all are released (or were not held), 1 when a task is missing."},
            footerHeading = "%nExample:%n", footer = "  reclaim tasks release $id")
    static final class Release extends HomeCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
        List<String> ids;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            return each(ids, id -> reclaim.holds().releaseTask(id, reason) ? id + " released" : id + " was not on hold", this);
        }
    }

    interface Change {
        String apply(String id);
    }

    /** Applies the change to each id, going on past missing ones; exit 1 when any was missing. */
    static int each(List<String> ids, Change change, HomeCommand c) {
        int code = ExitCodes.OK;
        for (String id : ids) {
            try {
                c.out().println(change.apply(id));
            } catch (NotFoundException e) {
                c.err().println(id + ": " + e.getMessage());
                code = ExitCodes.FAILED;
            }
        }
        return code;
    }
}
