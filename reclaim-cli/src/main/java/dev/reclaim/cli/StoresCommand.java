package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.model.Names;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.RootBinding;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code reclaim stores COMMAND}: named artifact stores, whose objects are registered in place. */
@Command(name = "stores", mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
        description = {"Named artifact stores: folders or S3 prefixes of data that is already there (a bucket of "
                + "checkpoints), whose objects are registered as artifacts without copying "
                + "('reclaim tasks artifacts add TASK --ref URI').",
                "Only registered objects are ever deleted (with their task). fsck lists the others as unmanaged and "
                        + "deletes one only when a person names it (fsck --delete-unmanaged KEY)."},
        subcommands = {StoresCommand.Add.class, StoresCommand.ListStores.class},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim stores add ckpt /data/checkpoints",
                "  reclaim stores add ckpt s3://ml-bucket/checkpoints",
                "  reclaim tasks artifacts add $id --kind model --name best.pt --ref s3://ml-bucket/checkpoints/run7/best.pt"})
final class StoresCommand extends GroupCommand {
    @Spec
    CommandSpec spec;

    @Override
    CommandSpec spec() {
        return spec;
    }

    /** {@code reclaim stores add NAME LOCATION}. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = {"Adds the folder or S3 prefix LOCATION as the artifact store NAME of this home's task store: "
                    + "marks it as this task store's (.reclaim-root, the only thing Reclaim ever writes there) and "
                    + "records it, so every command opens it (S3 with the home's --s3-* settings).",
                    "Refused (exit 2, nothing changed) when the location is another task store's, NAME is taken, the "
                            + "location was added under another name, or it lies inside the artifact root or another "
                            + "store (or holds one). A folder must exist: it is never created.",
                    "NAME: 1-32 lowercase letters, digits, '_' or '-', not 'default'."},
            footerHeading = "%nExamples:%n",
            footer = {"  reclaim stores add ckpt /data/checkpoints",
                    "  reclaim --s3-endpoint http://127.0.0.1:9000 --s3-path-style stores add ckpt s3://ml-bucket/checkpoints"})
    static final class Add implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "NAME", description = "The store's name.")
        String name;

        @Parameters(index = "1", paramLabel = "LOCATION", description = "A folder (DIR or file:///DIR) or s3://BUCKET/PREFIX.")
        String location;

        @Override
        public Integer call() {
            Names.STORE_NAME.check(name);
            ReclaimHome home = ((ReclaimCommand) spec.root().userObject()).home();
            StringBuilder added = new StringBuilder();
            ArtifactRoots.Adoption done = home.addStore(name, location, Clock.systemUTC(), added);
            spec.commandLine().getOut().println(switch (done) {
                case ALREADY_THIS_STORES -> "already added: " + added;
                case REBOUND -> "added (it already carried this task store's marker): " + added;
                case MARKED -> "added: " + added;
            });
            return ExitCodes.OK;
        }
    }

    /** {@code reclaim stores list [--output table|json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Lists the artifact stores of this home's task store: the default root and each named store, "
                    + "with where it was added and its root id."})
    static final class ListStores extends HomeCommand {
        @Mixin
        OutputOption output;

        @Override
        boolean readsOnly() {
            return true;
        }

        @Override
        int run(Reclaim reclaim, ReclaimHome home) {
            List<RootBinding> bound = reclaim.artifactRoots();
            Map<String, String> open = reclaim.storeLocations();
            if (output.json()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                for (RootBinding b : bound) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", b.name());
                    m.put("location", open.getOrDefault(b.name(), b.location()));
                    m.put("root_id", b.rootId());
                    m.put("added_at", b.boundAt());
                    rows.add(m);
                }
                OutputOption.printJson(out(), rows);
                return ExitCodes.OK;
            }
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"NAME", "LOCATION", "ROOT", "ADDED"});
            for (RootBinding b : bound) {
                rows.add(new String[] {b.name(), open.getOrDefault(b.name(), b.location()), b.rootId(), Text.time(b.boundAt())});
            }
            Table.print(rows, out());
            return ExitCodes.OK;
        }
    }
}
