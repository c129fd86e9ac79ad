package dev.reclaim.cli;

import dev.reclaim.store.ArtifactRoots;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code reclaim adopt-root}: marks the home and the artifact root as this task store's, when a person says so. */
@Command(name = "adopt-root", mixinStandardHelpOptions = true,
        description = {"Marks the artifact root (--artifacts, default HOME/artifacts) as this task store's (--db, default "
                + "HOME/reclaim.db), and the home as a Reclaim home.",
                "Every command refuses a root without Reclaim's marker that holds other content, and a root other than "
                        + "the one the task store is bound to. A root from before markers is adopted on its own when "
                        + "its records prove it is this store's; otherwise run this once you are sure it is.",
                "Objects Reclaim did not write stay untouched: fsck lists them as unmanaged and never deletes them "
                        + "unless named. A root another task store's marker names is never taken (exit 2).",
                "Exit codes: 0 marked (or already this store's), 2 refused or bad input."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim --home /data/reclaim adopt-root",
                "  reclaim --db jdbc:postgresql://db/reclaim --artifacts s3://bucket/reclaim adopt-root"})
final class AdoptRootCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReclaimHome home = ((ReclaimCommand) spec.root().userObject()).home();
        StringBuilder root = new StringBuilder();
        ArtifactRoots.Adoption done = home.adoptRoot(Clock.systemUTC(), root);
        spec.commandLine().getOut().println(switch (done) {
            case ALREADY_THIS_STORES -> "already this task store's: " + root;
            case REBOUND -> "bound the task store to its earlier root again: " + root;
            case MARKED -> "marked as this task store's: " + root;
        });
        return ExitCodes.OK;
    }
}
