package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.tasks.ArtifactDeleteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.util.List;

/** {@code reclaim tasks artifacts rm TASK ARTIFACT... [--force] [--dry-run] [--output table|json]}. */
@Command(name = "rm", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletes artifacts of a task, through the same deletion engine as whole tasks: the objects go "
                + "first, then the records, resumably; the task stays.",
                "Without --force, nothing is deleted when one of them is a published model, a model another live task uses "
                        + "as input, or on hold (the artifact or its task). With --force, holds are released (audited) and "
                        + "protected models are kept, detached from the task ('reclaim models rm --force' deletes them).",
                "Exits 0 when deleted, 3 when --force is needed, 1 when it failed, 2 on bad input."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim tasks artifacts list $id --kind debug_sample",
                "  reclaim tasks artifacts rm $id $artifact1 $artifact2 --dry-run",
                "  reclaim tasks artifacts rm $id $artifact1 $artifact2"})
final class TaskArtifactsRmCommand extends HomeCommand {
    @Parameters(index = "0", paramLabel = "TASK", description = "The task.")
    String task;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ARTIFACT", description = "Artifact ids "
            + "('reclaim tasks artifacts list TASK'), at most 1000.")
    List<String> artifacts;
    @Option(names = "--force", description = "Delete held artifacts too (releasing their holds); keep published models and "
            + "models in use, detached.")
    boolean force;
    @Option(names = "--dry-run", description = "Say what would be deleted, objects and bytes, and change nothing.")
    boolean dryRun;
    @Mixin
    OutputOption output;

    @Override
    boolean readsOnly() {
        return dryRun;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        ArtifactDeleteResult r = reclaim.artifactDeletions().delete(task, artifacts, force, dryRun);
        if (output.json()) {
            OutputOption.printJson(out(), r);
        } else if (r.deleted()) {
            PrintWriter o = out();
            o.printf("%s %d artifact(s) of task %s: %s object(s), %s%n", dryRun ? "would delete" : "deleted",
                    r.artifactIds().size() - r.keptModels().size(), task, Text.count(r.objects()), Text.bytes(r.bytes()));
            if (!r.keptModels().isEmpty()) {
                o.println((dryRun ? "would keep" : "kept") + " (detached from the task; published or in use): "
                        + String.join(", ", r.keptModels()));
            }
        } else {
            err().println("task " + task + ": " + r.error());
        }
        return r.deleted() ? ExitCodes.OK : r.needsForce() ? ExitCodes.NEEDS_FORCE : ExitCodes.FAILED;
    }
}
