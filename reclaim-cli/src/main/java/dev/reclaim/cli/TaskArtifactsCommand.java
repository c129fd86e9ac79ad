package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.ReclaimException;
import dev.reclaim.model.Names;
import dev.reclaim.tasks.AddedArtifact;
import dev.reclaim.tasks.BatchItemException;
import dev.reclaim.tasks.NewReference;
import dev.reclaim.tasks.StoreRefs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code reclaim tasks artifacts COMMAND}. */
@Command(name = "artifacts", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = "A task's artifacts: attach files, list them, delete some, put them on hold and release them.",
        subcommands = {TaskArtifactsCommand.Add.class, TaskArtifactsListCommand.class, TaskArtifactsRmCommand.class,
                TaskArtifactsHoldCommand.Hold.class, TaskArtifactsHoldCommand.Release.class})
final class TaskArtifactsCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }

    /** {@code reclaim tasks artifacts add ID --kind K --name N (FILE | --ref URI)}. */
    @Command(name = "add", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Copies FILE into the artifact store as an artifact of the task and prints the artifact id.",
                    "With --ref URI instead, registers an object that is already in one of the home's artifact stores "
                            + "(see 'reclaim stores') in place, without copying: it is the task's from then on, and "
                            + "deleting the task deletes it. Objects nobody registered are never deleted.",
                    "Stored bytes are never replaced: a name the task already has (for this kind) is refused (exit 3) "
                            + "unless --replace. A published model, or one another task uses as input, is never replaced."},
            footerHeading = "%nExamples:%n", footer = {"  reclaim tasks artifacts add $id --kind model --name best.ckpt ./best.ckpt",
                    "  reclaim tasks artifacts add $id --kind model --name best.ckpt --replace ./better.ckpt",
                    "  reclaim tasks artifacts add $id --kind model --name best.ckpt --ref s3://ml-bucket/checkpoints/run7/best.ckpt",
                    "  reclaim tasks artifacts add $id --kind model --name best.ckpt --ref /data/checkpoints/run7/best.ckpt",
                    "  reclaim tasks artifacts add $id --kind model --name epoch-3.ckpt --metric val_loss=0.31 ./epoch-3.ckpt"})
    static final class Add extends HomeCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "Task id.")
        String taskId;

        @Option(names = "--kind", required = true, paramLabel = "K", description = "model, artifact, debug_sample, log or result.")
        String kind;

        @Option(names = "--name", required = true, paramLabel = "N", description = "Artifact name (a relative path).")
        String name;

        @Option(names = "--replace", description = "Supersede the artifact of this kind and name: the new bytes go under a "
                + "new key, then the old artifact's record and object are deleted. Refused for a published model or one "
                + "another task uses as input.")
        boolean replace;

        @Parameters(index = "1", arity = "0..1", paramLabel = "FILE", description = "The file to attach (copied).")
        Path file;

        @Option(names = "--ref", paramLabel = "URI", description = "Register an object already in an artifact store of "
                + "the home instead of copying a file: s3://BUCKET/KEY, or the path (or file:///PATH) of a file inside a "
                + "store's folder. Refused when it is inside no store (add that store first: reclaim stores add).")
        String ref;

        @Option(names = "--metric", paramLabel = "NAME=VALUE", description = "A numeric metric of the artifact, e.g. "
                + "val_loss=0.31 (repeatable): a finite number, the name as a parameter's. Recorded with it, for "
                + "retention by metric.")
        Map<String, Double> metrics = new LinkedHashMap<>();

        private ArtifactKind parsedKind;

        @Override
        void validate() {
            parsedKind = ArtifactKind.parse(kind);
            Names.checkMetrics(metrics);
            if ((file == null) == (ref == null)) {
                throw new InvalidArgumentException(file == null ? "give the FILE to copy, or --ref URI of an "
                        + "object already in an artifact store" : "give either FILE (copied) or --ref URI (registered in "
                        + "place), not both");
            }
            if (file != null && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidArgumentException(file + " is not a regular file (links are not followed); give a file to attach");
            }
        }

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            AddedArtifact added;
            if (ref != null) {
                StoreRefs.Ref at = StoreRefs.resolve(ref, reclaim.storeLocations(), root().environment().cwd());
                if (metrics.isEmpty()) {
                    added = reclaim.tasks().registerArtifact(taskId, parsedKind, name, at.store(), at.key(), replace);
                } else {
                    try { // a batch of one records the metrics in the registration's transaction
                        added = reclaim.tasks().registerArtifacts(List.of(new NewReference(taskId, parsedKind, name,
                                at.store(), at.key(), metrics, replace))).get(0);
                    } catch (BatchItemException e) {
                        throw (ReclaimException) e.getCause();
                    }
                }
            } else {
                added = reclaim.tasks().addArtifact(taskId, parsedKind, name, file, replace, metrics);
            }
            out().println(added.artifact().id());
            for (Artifact old : added.superseded()) {
                err().println("replaced artifact " + old.id() + " (" + old.sizeBytes() + " bytes); its object was deleted");
            }
            return ExitCodes.OK;
        }
    }
}
