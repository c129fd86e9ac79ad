package dev.reclaim.cli;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Problems;
import dev.reclaim.Reclaim;
import dev.reclaim.StoreException;
import dev.reclaim.imports.ImportListener;
import dev.reclaim.imports.ImportOptions;
import dev.reclaim.imports.ImportPlan;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.slurm.SlurmExecutor;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.store.ArtifactRoots;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.RootBinding;
import dev.reclaim.store.TaskStore;
import dev.reclaim.model.Names;
import dev.reclaim.s3.S3Location;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.worker.WorkerSettings;
import io.micrometer.core.instrument.MeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The embedded default in one folder: {@code reclaim.db} (SQLite), {@code artifacts/} (the
 * artifact store) and {@code staging/} (where running jobs write, outside the artifact store).
 * The stores can be shared ones instead ({@link StorageConfig}); staging always stays local.
 * The folder carries a marker ({@link HomeMarker}): a folder with other people's files in it is
 * no home, and is refused before anything is created there.
 */
final class ReclaimHome {
    /** Environment variable naming the home when --home is not given. */
    static final String ENV = "RECLAIM_HOME";
    /** Home used when neither --home nor RECLAIM_HOME is given (relative to the working directory). */
    static final String DEFAULT_DIR = "reclaim-home";
    /** Worker timings of commands that do not run a worker (they run jobs in-process only when asked to wait). */
    static final WorkerSettings DEFAULT_WORKERS = WorkerSettings.defaults(Set.of(ComputeContext.DEFAULT_QUEUE));

    private final Path dir;
    private final String source;
    private final StorageConfig storage;

    private ReclaimHome(Path dir, String source, StorageConfig storage) {
        this.dir = dir;
        this.source = source;
        this.storage = storage;
    }

    /** This home with the stores chosen by flags, environment or config file (default: the home's own). */
    ReclaimHome withStorage(StorageConfig s) {
        return new ReclaimHome(dir, source, s);
    }

    /**
     * Picks the home: {@code option}, else RECLAIM_HOME, else ./reclaim-home.
     *
     * @throws InvalidArgumentException when that path exists and is not a folder
     */
    static ReclaimHome resolve(Path option, CliEnvironment env) {
        String source;
        Path chosen;
        if (option != null) {
            if (option.toString().isBlank()) {
                // an empty path resolves to the working directory, which is nobody's home
                throw new InvalidArgumentException("--home is empty; give the home folder, e.g. --home ~/reclaim-home, "
                        + "or leave it out for $" + ENV + " or ./" + DEFAULT_DIR);
            }
            chosen = option;
            source = "--home";
        } else if (env.get(ENV) != null) {
            chosen = Path.of(env.get(ENV));
            source = ENV;
        } else {
            chosen = Path.of(DEFAULT_DIR);
            source = "the default home";
        }
        Path dir = env.cwd().resolve(chosen).normalize();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            if (Files.exists(p)) {
                throw new InvalidArgumentException("home " + dir + " (from " + source + ") cannot be used: " + p
                        + " is a file, not a folder; give a folder with --home DIR or RECLAIM_HOME (a missing folder is created)");
            }
        }
        return new ReclaimHome(dir, source, null);
    }

    /** The home folder. */
    Path dir() {
        return dir;
    }

    /** The SQLite database file. */
    Path database() {
        return dir.resolve("reclaim.db");
    }

    /** Root of the artifact store. */
    Path artifacts() {
        return dir.resolve("artifacts");
    }

    /** Where running jobs write their outputs before they are stored; outside the artifact store. */
    Path staging() {
        return dir.resolve("staging");
    }

    /** True when this is not the home a plain {@code reclaim} in the same folder would use. */
    boolean isExplicit() {
        return !"the default home".equals(source);
    }

    /** Where the option came from, for messages: --home, RECLAIM_HOME or the default home. */
    String source() {
        return source;
    }

    /** Creates what is missing and opens the stores; close the result when the command ends. */
    Reclaim open(WorkerSettings workers) {
        return open(workers, null);
    }

    /**
     * As {@link #open(WorkerSettings)}, registering meters in {@code meters} (null: a private
     * in-memory registry). The server passes the Prometheus registry it scrapes at /metrics.
     */
    Reclaim open(WorkerSettings workers, MeterRegistry meters) {
        return open(workers, meters, null);
    }

    /**
     * As {@link #open(WorkerSettings)} for {@code reclaim import} of the tree at {@code location},
     * which may be about to become a store: S3 settings for it are not refused as unused.
     */
    Reclaim openImporting(String location) {
        return open(DEFAULT_WORKERS, null, location);
    }

    /** @param adding the location of a store being added, or null */
    private Reclaim open(WorkerSettings workers, MeterRegistry meters, String adding) {
        HomeMarker.check(dir, source, false);
        refuseUnusedS3Settings(adding);
        refuseBeforeCreating(false);
        HomeMarker.claim(dir, source, false, Clock.systemUTC());
        createFolders();
        TaskStore tasks = openTaskStore();
        List<ArtifactStore> opened = new ArrayList<>();
        try {
            ArtifactStore artifactStore = openArtifactStore();
            opened.add(artifactStore);
            Reclaim.Builder b = Reclaim.builder()
                    .taskStore(tasks)
                    .artifactStore(artifactStore)
                    .stagingRoot(staging())
                    .workerSettings(workers)
                    .executor(new SlurmExecutor()); // used only by jobs submitted with --executor slurm
            openNamedStores(tasks, b, opened);
            if (meters != null) {
                b.meterRegistry(meters);
            }
            return b.build();
        } catch (RuntimeException e) {
            closeAll(opened, e);
            tasks.close();
            throw e;
        }
    }

    /**
     * Opens every named artifact store bound to the task store, at the location it was added at
     * (S3 ones with this home's S3 settings), and gives it to the builder, which uses it only when
     * its marker and binding agree.
     */
    private void openNamedStores(TaskStore tasks, Reclaim.Builder b, List<ArtifactStore> opened) {
        for (RootBinding bound : tasks.artifactRoots()) {
            if (RootBinding.DEFAULT_NAME.equals(bound.name())) {
                continue;
            }
            ArtifactStore store = config().openNamedStore(bound.name(), bound.location());
            opened.add(store);
            b.store(bound.name(), store);
        }
    }

    /**
     * Refuses S3 settings (--s3-endpoint and the like) that apply to no store of the home, before
     * anything is created: with an artifact root that is no S3 prefix they can only be for named
     * stores, which an existing task store lists (a SQLite file is opened read-only for that).
     */
    private void refuseUnusedS3Settings(String adding) {
        if (storage == null || !storage.hasS3SettingsBeyondTheRoot()) {
            return;
        }
        List<String> locations = new ArrayList<>();
        locations.add(adding);
        Path db = storage.sqliteFile(database());
        if (db == null || Files.isRegularFile(db)) {
            try (TaskStore tasks = storage.openTaskStoreForReading(database())) {
                tasks.artifactRoots().forEach(b -> locations.add(b.location()));
            }
        }
        storage.refuseUnusedS3Settings(locations);
    }

    private static void closeAll(List<ArtifactStore> stores, RuntimeException failure) {
        for (ArtifactStore s : stores) {
            try {
                s.close();
            } catch (RuntimeException e) {
                failure.addSuppressed(e);
            }
        }
    }

    private StorageConfig config() {
        return storage != null ? storage : StorageConfig.defaults(dir);
    }

    /**
     * Adds the named artifact store at {@code location} to the home's task store, at a person's
     * explicit request ({@code reclaim stores add}): the home is opened as for any command (its root
     * and its stores checked), then the store is marked as this task store's and bound under
     * {@code name} ({@link ArtifactRoots#adopt(dev.reclaim.store.RootRegistry, String, ArtifactStore, Clock)}).
     * Nothing in the store but its marker is written; a folder is never created.
     *
     * @param description receives the name and where the store is
     * @throws dev.reclaim.InvalidArgumentException for a bad name or location, or a store that is refused
     */
    ArtifactRoots.Adoption addStore(String name, String location, Clock clock, StringBuilder description) {
        Names.STORE_NAME.check(name);
        config().checkNamedLocation(location);
        try (Reclaim reclaim = open(DEFAULT_WORKERS, null, location);
             ArtifactStore store = config().openNamedStore(name, location)) {
            ArtifactRoots.Adoption done = ArtifactRoots.adopt(reclaim.taskStore(), name, store, clock);
            RootBinding bound = reclaim.taskStore().artifactRoot(name).orElseThrow();
            description.append(name).append(" at ").append(store.describe()).append(" (root ").append(bound.rootId())
                    .append(", task store ").append(reclaim.taskStore().storeId()).append(')');
            return done;
        }
    }

    /**
     * The canonical location of a tree given to {@code reclaim import}: {@code s3://bucket/prefix} as
     * S3 names it, a folder (DIR, {@code file:DIR}) as {@code file:} and its real path, the form the
     * stores' locations take.
     *
     * @throws InvalidArgumentException for a location that is not one, or a folder that is missing
     */
    String treeLocation(String source) {
        if (source == null || source.isBlank()) {
            throw new InvalidArgumentException("SOURCE is empty; give the folder or s3://BUCKET/PREFIX to import");
        }
        if (source.startsWith("s3://")) {
            return S3Location.parse(source).toString();
        }
        Path folder = config().namedFolder(source);
        if (folder == null || !Files.isDirectory(folder)) {
            throw new InvalidArgumentException("SOURCE " + (folder == null ? source : folder) + " is not a folder "
                    + "(missing, or a file); give the folder that holds the tree, or s3://BUCKET/PREFIX");
        }
        try {
            return "file:" + folder.toRealPath();
        } catch (IOException e) {
            throw new InvalidArgumentException("SOURCE " + folder + " cannot be read: "
                    + Problems.describe(e));
        }
    }

    /**
     * A dry run of {@code reclaim import} of a tree that is no store of the home yet: the tree is
     * opened to be listed and read only, nothing is written to it (not even a marker), and closed.
     */
    ImportPlan planImport(Reclaim reclaim, String location, ImportOptions options, ImportListener listener) {
        try (ArtifactStore tree = config().openNamedStore("import", location)) {
            return reclaim.imports().plan(tree, null, options, listener);
        }
    }

    /**
     * Marks the home (even one with other files in it) and the artifact root as this task store's,
     * at a person's explicit request ({@code reclaim adopt-root}); never a root another task
     * store's marker names.
     */
    ArtifactRoots.Adoption adoptRoot(Clock clock, StringBuilder description) {
        refuseBeforeCreating(true);
        HomeMarker.claim(dir, source, true, clock);
        createFolders();
        try (TaskStore tasks = openTaskStore(); ArtifactStore artifactStore = openArtifactStore()) {
            ArtifactRoots.Adoption done = ArtifactRoots.adopt(tasks, artifactStore, clock);
            RootBinding bound = tasks.artifactRoot(RootBinding.DEFAULT_NAME).orElseThrow();
            description.append(artifactStore.describe()).append(" (root ").append(bound.rootId()).append(", task store ")
                    .append(tasks.storeId()).append(')');
            return done;
        }
    }

    /**
     * Refuses, before anything is created, what opening would refuse only after creating the home,
     * its database and folders: an artifact location that is a file, and a root the task store
     * cannot use ({@link ArtifactRoots#precheck}; for adopt-root, {@link ArtifactRoots#precheckAdoption}).
     * When everything exists already nothing is opened twice: the check at open refuses the same
     * roots before anything is written.
     */
    private void refuseBeforeCreating(boolean adopting) {
        for (Path p : new Path[] {artifacts(), staging()}) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw fileWhereAFolderBelongs(p);
            }
        }
        Path folder = storage == null ? artifacts() : storage.artifactFolder(artifacts());
        if (folder != null) {
            refuseFileInPath(folder);
        }
        Path db = storage == null ? database() : storage.sqliteFile(database());
        if (db != null) {
            refuseUnusableDatabase(db);
        }
        boolean newStore = db != null && !Files.exists(db);
        boolean rootExists = folder == null || Files.isDirectory(folder);
        boolean createsSomething = newStore || !rootExists || !Files.isDirectory(dir) || !Files.isDirectory(staging())
                || !Files.isDirectory(artifacts());
        if (!createsSomething) {
            return;
        }
        try (TaskStore tasks = newStore ? null : openTaskStore();
             ArtifactStore root = rootExists ? openArtifactStore() : null) {
            if (adopting) {
                ArtifactRoots.precheckAdoption(tasks, root);
            } else {
                ArtifactRoots.precheck(tasks, root, "file:" + folder);
            }
        }
    }

    private InvalidArgumentException fileWhereAFolderBelongs(Path p) {
        return new InvalidArgumentException(p + " is a file; the home " + dir
                + " needs a folder there. Move the file away or choose another --home");
    }

    /** An artifact folder that is a file, or lies below one, is bad input: it can never be created. */
    private void refuseFileInPath(Path folder) {
        for (Path p = folder; p != null; p = p.getParent()) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                String from = storage == null || storage.artifactsSource() == null ? "the home " + dir
                        : storage.artifactsSource();
                throw new InvalidArgumentException("artifact folder " + folder + " (from " + from + ") cannot be used: "
                        + p + " is a file, not a folder. Give a folder with --artifacts (a missing one is created) "
                        + "or s3://bucket/prefix");
            }
            if (Files.isDirectory(p)) {
                return;
            }
        }
    }

    /**
     * A SQLite database path that can never be one is bad input, refused before SQLite creates its
     * lock file or folders next to it: below a file, a folder, or a file that is no SQLite database
     * (a SQLite file starts with {@code "SQLite format 3\0"}; an empty file is a new database).
     */
    private void refuseUnusableDatabase(Path db) {
        String what = "database " + db + (storage == null ? " (in the home)" : "");
        for (Path p = db.getParent(); p != null && !Files.isDirectory(p); p = p.getParent()) {
            if (Files.exists(p)) {
                throw new InvalidArgumentException(what + " cannot be created: " + p + " is a file, not a folder; give "
                        + "--db jdbc:sqlite:/path/reclaim.db in a folder");
            }
        }
        if (Files.isDirectory(db)) {
            throw new InvalidArgumentException(what + " is a folder, not a database file; give --db "
                    + "jdbc:sqlite:/path/reclaim.db (a missing file is created)");
        }
        if (Files.isRegularFile(db)) {
            byte[] header = new byte[16];
            int read;
            try (InputStream in = Files.newInputStream(db)) {
                read = in.readNBytes(header, 0, header.length);
            } catch (IOException e) {
                throw new StoreException("cannot read " + what + ": " + Problems.describe(e), e);
            }
            if (read > 0 && !new String(header, 0, read, StandardCharsets.ISO_8859_1).equals("SQLite format 3\0")) {
                throw new InvalidArgumentException(what + " is not a SQLite database (it is some other file, left as it "
                        + "is); give the path of a Reclaim database or of a new file with --db jdbc:sqlite:/path/reclaim.db");
            }
        }
    }

    private TaskStore openTaskStore() {
        return storage == null ? JdbcTaskStore.openSqlite(database()) : storage.openTaskStore(database());
    }

    private ArtifactStore openArtifactStore() {
        return storage == null ? FileArtifactStore.open(artifacts()) : storage.openArtifactStore(artifacts());
    }

    /**
     * Why this process cannot write the SQLite database the home's commands use, or null when it
     * can (or the task store is PostgreSQL). SQLite also writes next to the file (journal, shared
     * memory index, our migration lock), so its folder must be writable too.
     */
    String readOnlyReason() {
        Path db = storage == null ? database() : storage.sqliteFile(database());
        if (db == null) {
            return null;
        }
        if (Files.exists(db)) {
            if (!Files.isWritable(db)) {
                return "cannot write " + db;
            }
            return Files.isWritable(db.getParent()) ? null
                    : "cannot write the folder " + db.getParent() + ", where SQLite keeps its journal next to " + db.getFileName();
        }
        Path existing = db.getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null || Files.isWritable(existing) ? null : "cannot create " + db + " in " + existing;
    }

    /**
     * Opens the stores for a command that only reads, on a home this process cannot write:
     * nothing is created, the database is opened read-only, and any write fails saying so.
     */
    Reclaim openForReading(WorkerSettings workers, MeterRegistry meters) {
        refuseUnusedS3Settings(null);
        TaskStore tasks = storage == null ? JdbcTaskStore.openSqliteReadOnly(database()) : storage.openTaskStoreForReading(database());
        List<ArtifactStore> opened = new ArrayList<>();
        try {
            ArtifactStore artifactStore = openArtifactStore();
            opened.add(artifactStore);
            Reclaim.Builder b = Reclaim.builder()
                    .taskStore(tasks)
                    .artifactStore(artifactStore)
                    .stagingRoot(staging())
                    .workerSettings(workers)
                    .readOnly(true);
            openNamedStores(tasks, b, opened);
            if (meters != null) {
                b.meterRegistry(meters);
            }
            return b.build();
        } catch (RuntimeException e) {
            closeAll(opened, e);
            tasks.close();
            throw e;
        }
    }

    private void createFolders() {
        for (Path p : new Path[] {dir, artifacts(), staging()}) {
            if (Files.exists(p) && !Files.isDirectory(p)) {
                throw fileWhereAFolderBelongs(p);
            }
            try {
                Files.createDirectories(p);
            } catch (IOException e) {
                throw new StoreException("cannot create " + p + " (" + Problems.describe(e) + "); check permissions or choose "
                        + "another --home", e);
            }
        }
    }
}
