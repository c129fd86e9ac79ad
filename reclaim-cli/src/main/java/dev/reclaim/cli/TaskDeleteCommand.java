package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.delete.DeletionListener;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** {@code reclaim tasks delete ID... [--force] [--keep-output-models] [--return-file-urls]}. */
@Command(name = "delete", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Deletes tasks with their artifacts, debug samples and logs.",
                "Without --force only drafts and archived tasks are deleted, and a task with published children or "
                        + "published output models is refused. Published tasks need --force; a running task is stopped first.",
                "Children are re-pointed to a deleted-parent marker; models that other live tasks use, or that are "
                        + "published, are kept (detached); a model kept only for its users is deleted with the last of them.",
                "Exits 0 when all were deleted, 3 when any needs --force, 1 when any deletion failed."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim tasks delete $id", "  reclaim tasks delete $id --force --return-file-urls"})
final class TaskDeleteCommand extends HomeCommand {
    @Parameters(arity = "1..*", paramLabel = "ID", description = "Task ids.")
    List<String> ids;

    @Option(names = "--force", description = "Delete published, non-archived and running tasks too.")
    boolean force;

    @Option(names = "--keep-output-models", description = "Keep every output model (detached) instead of deleting unused ones.")
    boolean keepModels;

    @Option(names = "--return-file-urls", description = "Print the storage keys that were deleted.")
    boolean fileUrls;

    @Option(names = "--quiet", description = "Do not print each deleted object.")
    boolean quiet;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        DeleteOptions options = DeleteOptions.DEFAULTS.forced(force).deletingOutputModels(!keepModels)
                .listingFileUrls(fileUrls);
        DeletionListener verbose = quiet ? DeletionListener.NONE : new DeletionListener() {
            @Override
            public void objectDeleted(String key, long bytes) {
                out().println("  deleted object " + key);
            }
        };
        boolean failed = false;
        boolean needsForce = false;
        for (String id : ids) {
            DeleteResult r;
            try {
                r = reclaim.tasks().delete(id, options, verbose, "tasks delete");
            } catch (RuntimeException e) {
                err().println(id + " not deleted: " + e.getMessage());
                failed = true;
                continue;
            }
            if (r.deleted()) {
                out().printf("deleted task %s: %d object(s), %s; children re-pointed %d, models kept %d, models deleted %d%n",
                        id, r.objects(), Text.bytes(r.bytes()), r.updatedChildren(), r.updatedModels(), r.deletedModels());
                r.fileUrls().forEach(u -> out().println("  file " + u));
            } else if (r.needsForce()) {
                needsForce = true;
                err().println(id + " skipped: " + r.error() + " (reclaim tasks delete " + id + " --force)");
            } else {
                failed = true;
                err().println(id + " not deleted: " + r.error());
            }
        }
        return failed ? ExitCodes.FAILED : needsForce ? ExitCodes.NEEDS_FORCE : ExitCodes.OK;
    }
}
