package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.ArtifactKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;

/** {@code reclaim tasks artifacts COMMAND}. */
@Command(name = "artifacts", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "Attach files to tasks as artifacts.", subcommands = TaskArtifactsCommand.Add.class)
final class TaskArtifactsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }

    /** {@code reclaim tasks artifacts add ID --kind K --name N FILE}. */
    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Copies FILE into the artifact store as an artifact of the task and prints the artifact id.",
            footerHeading = "%nExample:%n", footer = "  reclaim tasks artifacts add $id --kind model --name best.ckpt ./best.ckpt")
    static final class Add extends HomeCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
        String taskId;

        @Option(names = "--kind", required = true, paramLabel = "K", description = "model, artifact, debug_sample, log or result.")
        String kind;

        @Option(names = "--name", required = true, paramLabel = "N", description = "Artifact name (a relative path).")
        String name;

        @Parameters(index = "1", paramLabel = "FILE", description = "The file to attach.")
        Path file;

        private ArtifactKind parsedKind;

        @Override
        void validate() {
            parsedKind = ArtifactKind.parse(kind);
            if (!java.nio.file.Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new dev.reclaim.InvalidArgumentException(file + " is not a regular file (links are not followed); give a file to attach");
            }
        }

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            out().println(reclaim.tasks().addArtifact(taskId, parsedKind, name, file).id());
            return ExitCodes.OK;
        }
    }
}
