package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.delete.DeletionReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.List;

/** {@code reclaim models COMMAND}: models kept after their task was deleted. */
@Command(name = "models", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Models kept (detached) after their task was deleted: while another task uses them, when "
                + "published, or when deleted with --keep-output-models.",
                "One kept only for its users is deleted with the last of them; 'reclaim fsck' lists the others."},
        subcommands = ModelsCommand.Delete.class)
final class ModelsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }

    /** {@code reclaim models delete ID... [--force]}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Deletes models that no longer belong to a task: the record, then the stored object.",
                    "A model that is published, was kept on request, or is used as input by a live task needs --force "
                            + "(those tasks then lose it as input). A model of a live task is deleted with its task.",
                    "Exits 0 when all were deleted, 3 when any needs --force, 2 when an id names no such model, "
                            + "1 when an object could not be deleted yet (it stays queued)."},
            footerHeading = "%nExamples:%n",
            footer = {"  reclaim fsck                      # lists detached models with no user", "  reclaim models delete $model --force"})
    static final class Delete extends HomeCommand {
        @Parameters(arity = "1..*", paramLabel = "ID", description = "Artifact ids of detached models.")
        List<String> ids;

        @Option(names = "--force", description = "Delete published models, models kept on request and models in use too.")
        boolean force;

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            boolean failed = false;
            boolean badId = false;
            boolean needsForce = false;
            for (String id : ids) {
                DeletionReport r = reclaim.deleter().deleteDetachedModel(id, force, reclaim.user(),
                        "models delete" + (force ? " (force)" : ""), DeletionListener.NONE);
                switch (r.outcome()) {
                    case DELETED -> out().printf("deleted model %s: %d object(s), %s%n", id, r.objects(), Text.bytes(r.bytes()));
                    case REFUSED -> {
                        needsForce = true;
                        err().println(id + " skipped: " + r.message() + " (reclaim models delete " + id + " --force)");
                    }
                    case NOT_FOUND -> {
                        badId = true;
                        err().println(id + " not deleted: " + r.message());
                    }
                    default -> {
                        failed = true;
                        err().println(id + " not deleted yet: " + r.message());
                    }
                }
            }
            return failed ? ExitCodes.FAILED : badId ? ExitCodes.USAGE : needsForce ? ExitCodes.NEEDS_FORCE : ExitCodes.OK;
        }
    }
}
