package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.StoreException;
import dev.reclaim.imports.ImportListener;
import dev.reclaim.imports.ImportOptions;
import dev.reclaim.imports.ImportPlan;
import dev.reclaim.imports.ImportReport;
import dev.reclaim.imports.Layout;
import dev.reclaim.imports.PlannedTask;
import dev.reclaim.model.Names;
import dev.reclaim.store.RootBinding;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code reclaim import SOURCE --layout LAYOUT [--project P] [--archived] [--dry-run]}. */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Registers an existing tree (a folder or an S3 prefix) as tasks and artifacts, in place, without "
                + "copying: each object the layout places becomes an artifact of its task. A SOURCE that is not yet one "
                + "of this home's artifact stores is added as one first (named after its last folder, marked with "
                + ".reclaim-root: the only thing Reclaim writes there).",
                "Layouts: mlflow (an mlruns folder: <experiment>/<run>/artifacts/**; names, status and times from the "
                        + "meta.yaml files), clearml (<project>/<task name>.<task id>/{artifacts,models,metrics}/**; "
                        + "metrics/ are debug samples), or a pattern of {project}, {task} (required), {kind}, '*' and "
                        + "names ending in '**', such as '{project}/{task}/{kind}/**'. Task times come from the metadata, "
                        + "else from the objects' times; tasks are COMPLETED unless the metadata says otherwise.",
                "Objects outside the layout (and the tree's metadata files) are counted, never registered, and left "
                        + "untouched: fsck lists them as unmanaged and deletes one only when named "
                        + "(fsck --delete-unmanaged). Only registered objects are ever deleted, with their task.",
                "Running it again adds nothing that is there already (tasks are found by where they are in the tree, "
                        + "objects by their key), so an interrupted import resumes by running the same command again: "
                        + "every batch of objects was committed on its own.",
                "Refused (exit 2, nothing changed) for an unknown layout, a pattern without {task}, a SOURCE that is "
                        + "missing, or one that overlaps the artifact root or another store."},
        footerHeading = "%nExamples:%n",
        footer = {"  reclaim import /data/mlruns --layout mlflow --dry-run",
                "  reclaim import s3://ml-bucket/clearml --layout clearml --archived",
                "  reclaim import /data/runs --layout '{project}/{task}/{kind}/**' --project vision"})
final class ImportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The tree: a folder (DIR or file:///DIR) or s3://BUCKET/PREFIX.")
    String source;

    @Option(names = "--layout", required = true, paramLabel = "LAYOUT",
            description = "mlflow, clearml, or a pattern such as '{project}/{task}/{kind}/**'.")
    String layout;

    @Option(names = "--project", paramLabel = "P", description = "Put every imported task into project P.")
    String project;

    @Option(names = "--archived", description = "Archive the tasks this import creates (the retention clock starts now).")
    boolean archived;

    @Option(names = "--dry-run", description = "List what would be registered, with totals; change nothing (not even "
            + "adding SOURCE as a store).")
    boolean dryRun;

    @Mixin
    OutputOption output;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000",
            description = "Objects registered per transaction, 1..10000. Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Override
    public Integer call() {
        Layout parsed = Layout.parse(layout);
        if (project != null) {
            Names.PROJECT.check(project);
        }
        if (batchSize < 1 || batchSize > 10_000) {
            throw new InvalidArgumentException("--batch-size must be 1..10000, was " + batchSize);
        }
        ImportOptions options = ImportOptions.of(parsed).withProject(project).withArchived(archived).withBatchSize(batchSize);
        ReclaimHome home = ((ReclaimCommand) spec.root().userObject()).home();
        String location = home.treeLocation(source);
        String readOnly = home.readOnlyReason();
        if (readOnly != null) {
            throw new StoreException("the home " + home.dir() + " is read-only for this user (" + readOnly + "); 'import' "
                    + "changes it, so run it as a user who can write there or choose another --home");
        }
        String store;
        List<String> taken = new ArrayList<>();
        try (Reclaim reclaim = home.openImporting(location)) {
            store = storeAt(reclaim, location, taken);
            if (dryRun) {
                return dryRun(reclaim, home, store, location, options);
            }
        }
        if (store == null) {
            store = nameFor(location, taken);
            StringBuilder added = new StringBuilder();
            home.addStore(store, location, Clock.systemUTC(), added);
            err().println("added the artifact store " + added);
        }
        try (Reclaim reclaim = home.open(ReclaimHome.DEFAULT_WORKERS)) {
            Progress progress = new Progress(err(), System.console() != null);
            long started = System.nanoTime();
            ImportReport report;
            try {
                report = reclaim.imports().run(store, options, progress);
            } finally {
                progress.done();
            }
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            print(report, location, parsed, seconds);
        }
        return ExitCodes.OK;
    }

    /**
     * The name of the store at {@code location}, or null when it is none: refused when it overlaps
     * the artifact root or another store. Collects the names taken.
     */
    private static String storeAt(Reclaim reclaim, String location, List<String> taken) {
        for (RootBinding b : reclaim.artifactRoots()) {
            taken.add(b.name());
            String at = reclaim.storeLocations().getOrDefault(b.name(), b.location());
            if (strip(at).equals(strip(location))) {
                if (RootBinding.DEFAULT_NAME.equals(b.name())) {
                    throw overlap(location, b, at);
                }
                return b.name();
            }
            String x = strip(at) + "/";
            String y = strip(location) + "/";
            if (x.startsWith(y) || y.startsWith(x)) {
                throw overlap(location, b, at);
            }
        }
        return null;
    }

    private static InvalidArgumentException overlap(String location, RootBinding b, String at) {
        boolean root = RootBinding.DEFAULT_NAME.equals(b.name());
        return new InvalidArgumentException("SOURCE " + location + " overlaps " + (root ? "this home's artifact root"
                : "the artifact store '" + b.name() + "'") + " at " + at + " (one is inside the other)"
                + (root ? ", where Reclaim keeps its own tasks/ folder" : "") + "; nothing was imported. Import a tree "
                + "outside " + (root ? "the artifact root" : "every store") + ", or import the store '" + b.name()
                + "' itself by giving its location " + at);
    }

    private static String strip(String location) {
        return location.endsWith("/") ? location.substring(0, location.length() - 1) : location;
    }

    /** A store name for a tree: its last folder (or bucket), in the letters a store name allows, made unique. */
    static String nameFor(String location, List<String> taken) {
        String path = strip(location.startsWith("s3://") ? location.substring(5) : location.substring("file:".length()));
        String last = path.substring(path.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]+", "-")
                .replaceAll("^[-_]+", "");
        if (last.length() > 28) {
            last = last.substring(0, 28);
        }
        if (last.isEmpty() || last.equals(RootBinding.DEFAULT_NAME)) {
            last = "imported";
        }
        String name = last;
        for (int i = 2; taken.contains(name); i++) {
            name = last + "-" + i;
        }
        return name;
    }

    private int dryRun(Reclaim reclaim, ReclaimHome home, String store, String location, ImportOptions options) {
        Progress progress = new Progress(err(), System.console() != null);
        ImportPlan plan;
        try {
            if (store != null) {
                plan = reclaim.imports().plan(store, options, progress);
            } else {
                plan = home.planImport(reclaim, location, options, progress);
            }
        } finally {
            progress.done();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", location);
            m.put("store", store);
            m.put("layout", options.layout().spec());
            m.put("dry_run", true);
            m.put("tasks", plan.tasks().stream().map(ImportCommand::json).toList());
            m.put("new_tasks", plan.newTasks());
            m.put("objects", plan.objects());
            m.put("bytes", plan.bytes());
            m.put("already_registered", plan.alreadyRegistered());
            m.put("outside_layout", plan.outside());
            m.put("metadata_files", plan.metadata());
            m.put("refused", plan.refused());
            m.put("refusals", plan.refusals());
            printJson(m);
            return ExitCodes.OK;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PLACE", "PROJECT", "NAME", "STATUS", "STARTED", "OBJECTS", "BYTES", "TASK"});
        for (PlannedTask t : plan.tasks()) {
            rows.add(new String[] {Names.printable(t.place()), Names.printable(t.project()), Names.printable(t.name()),
                    t.status().name(), Text.time(t.startedAt()), Text.count(t.objects()), Text.bytes(t.bytes()),
                    t.exists() ? "exists" : "new"});
        }
        Table.print(rows, out);
        out.printf(Locale.ROOT, "dry run: would register %,d objects (%s) in %,d tasks (%,d new) from %s%s; %,d registered already; "
                        + "skipped %,d outside the layout and %,d metadata files (left untouched), %,d refused%n",
                plan.objects(), Text.bytes(plan.bytes()), plan.tasks().size(), plan.newTasks(), location,
                store == null ? " (it would be added as the artifact store '" + nameFor(location, reclaim.artifactRoots()
                        .stream().map(RootBinding::name).toList()) + "')" : " (the artifact store '" + store + "')",
                plan.alreadyRegistered(), plan.outside(), plan.metadata(), plan.refused());
        plan.refusals().forEach(r -> out.println("  refused: " + r));
        return ExitCodes.OK;
    }

    private static Map<String, Object> json(PlannedTask t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("place", t.place());
        m.put("project", t.project());
        m.put("name", t.name());
        m.put("status", t.status().name());
        m.put("started_at", t.startedAt());
        m.put("ended_at", t.endedAt());
        m.put("exists", t.exists());
        m.put("objects", t.objects());
        m.put("bytes", t.bytes());
        return m;
    }

    private void print(ImportReport r, String location, Layout parsed, double seconds) {
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", location);
            m.put("store", r.store());
            m.put("layout", parsed.spec());
            m.put("tasks_created", r.tasksCreated());
            m.put("tasks_found", r.tasksFound());
            m.put("objects", r.objects());
            m.put("bytes", r.bytes());
            m.put("already_registered", r.alreadyRegistered());
            m.put("outside_layout", r.outside());
            m.put("metadata_files", r.metadata());
            m.put("refused", r.refused());
            m.put("refusals", r.refusals());
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            printJson(m);
            return;
        }
        out.printf(Locale.ROOT, "imported %s (the artifact store '%s', layout %s): %,d tasks created, %,d found from an earlier import; "
                        + "%,d objects (%s) registered, %,d registered already; skipped %,d outside the layout and %,d "
                        + "metadata files (left untouched), %,d refused; %.1f s%n",
                location, r.store(), parsed.spec(), r.tasksCreated(), r.tasksFound(), r.objects(), Text.bytes(r.bytes()),
                r.alreadyRegistered(), r.outside(), r.metadata(), r.refused(), seconds);
        r.refusals().forEach(x -> out.println("  refused: " + x));
    }

    private void printJson(Object o) {
        OutputOption.printJson(spec.commandLine().getOut(), o);
    }

    private PrintWriter err() {
        spec.commandLine().getOut().flush();
        return spec.commandLine().getErr();
    }

    /**
     * Progress on standard error: on a terminal one line rewritten in place (objects and objects/s),
     * elsewhere a line every 5 seconds.
     */
    static final class Progress implements ImportListener {
        private final PrintWriter err;
        private final boolean terminal;
        private final long start = System.nanoTime();
        private long last = start;
        private long phaseStart = start;
        private boolean registering;
        private boolean drawn;

        Progress(PrintWriter err, boolean terminal) {
            this.err = err;
            this.terminal = terminal;
        }

        @Override
        public void surveyed(long objects) {
            show("listing: %,d objects", objects, objects, phaseStart);
        }

        @Override
        public void committed(long done, long total, long registered) {
            if (!registering) {
                registering = true;
                phaseStart = System.nanoTime();
            }
            show("registering: %,d of " + Text.count(total) + " objects (" + Text.count(registered)
                    + " new)", done, done, phaseStart);
        }

        private void show(String format, long n, long rateOf, long since) {
            long now = System.nanoTime();
            long every = terminal ? 200_000_000L : 5_000_000_000L;
            if (now - last < every) {
                return;
            }
            last = now;
            double rate = rateOf / Math.max(1e-3, (now - since) / 1e9);
            String line = String.format(Locale.ROOT, format, n) + String.format(Locale.ROOT, ", %,.0f objects/s", rate);
            if (terminal) {
                err.print("\r  " + line + "\u001b[K");
                err.flush();
                drawn = true;
            } else {
                err.println("import: " + line);
                err.flush();
            }
        }

        void done() {
            if (drawn) {
                err.println();
                err.flush();
                drawn = false;
            }
        }
    }
}
