package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks artifacts hold|release TASK ARTIFACT...}. */
final class TaskArtifactsHoldCommand {
    private TaskArtifactsHoldCommand() {
    }

    /** {@code reclaim tasks artifacts hold}. */
    @Command(name = "hold", mixinStandardHelpOptions = true,
            description = {"Puts artifacts of a task on hold: no Cleanup Service run, no retention rule and no delete "
                    + "without --force deletes them, or the task that holds them.",
                    "Exits 0 when all are held (or already were), 1 when one is not a live artifact of the task."},
            footerHeading = "%nExample:%n", footer = "  reclaim tasks artifacts hold $id $artifact --reason 'best checkpoint'")
    static final class Hold extends HomeCommand {
        @Parameters(index = "0", paramLabel = "TASK", description = "The task.")
        String task;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ARTIFACT", description = "Artifact ids "
                + "('reclaim tasks artifacts list TASK').")
        List<String> artifacts;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail and the list of holds.")
        String reason;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            return TaskHoldCommand.each(artifacts, a -> reclaim.holds().holdArtifact(task, a, reason) ? a + " held"
                    : a + " was already on hold", this);
        }
    }

    /** {@code reclaim tasks artifacts release}. */
    @Command(name = "release", mixinStandardHelpOptions = true,
            description = {"Takes artifacts off hold.", "Exits 0 when all are released (or were not held), 1 when one is "
                    + "missing."},
            footerHeading = "%nExample:%n", footer = "  reclaim tasks artifacts release $id $artifact")
    static final class Release extends HomeCommand {
        @Parameters(index = "0", paramLabel = "TASK", description = "The task.")
        String task;
        @Parameters(index = "1..*", arity = "1..*", paramLabel = "ARTIFACT", description = "Artifact ids.")
        List<String> artifacts;
        @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for the audit trail.")
        String reason;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            return TaskHoldCommand.each(artifacts, a -> reclaim.holds().releaseArtifact(a, reason) ? a + " released"
                    : a + " was not on hold", this);
        }
    }
}
