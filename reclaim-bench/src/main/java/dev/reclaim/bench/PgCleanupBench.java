package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.AgeBasis;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Issue 5's benchmark: the Cleanup Service over the same T archived tasks (F small files each) with
 * the task store on SQLite and on PostgreSQL, in one run, with the same settings and the same
 * artifact store kind (a local folder each), so the difference is the task store. PostgreSQL runs
 * in a database created for the run ({@code --pg} names the server's maintenance database) and
 * dropped after it, with the server's own durability settings (synchronous commit as configured).
 */
final class PgCleanupBench implements Bench {
    static final String DEFAULT_PG = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @Override
    public String description() {
        return "Cleanup Service on PostgreSQL vs SQLite over the same T archived tasks x F files "
                + "(--tasks 100000 --files 1 --pg " + DEFAULT_PG + " [--only sqlite|postgresql])";
    }

    @Override
    public void run(Options o) throws Exception {
        int taskCount = o.integer("tasks", 100_000);
        int files = o.integer("files", 1);
        String server = o.string("pg", DEFAULT_PG);
        Path dir = o.dir("reclaim-bench-pgcleanup");
        String database = createDatabase(server);
        try {
            String pgUrl = withDatabase(server, database);
            Instant at = Instant.now().minus(Duration.ofDays(40));
            // --only postgresql: one side alone, to profile it
            String only = o.string("only", "");
            double sqlite = only.equals("postgresql") ? Double.NaN : measure("SQLite    ",
                    JdbcTaskStore.openSqlite(dir.resolve("sqlite/reclaim.db")), dir.resolve("sqlite"), taskCount, files, at);
            double postgres = only.equals("sqlite") ? Double.NaN
                    : measure("PostgreSQL", JdbcTaskStore.openPostgres(pgUrl), dir.resolve("pg"), taskCount, files, at);
            System.out.printf("  ratio PostgreSQL / SQLite:   %8.2fx (time); PostgreSQL at %.2fx the speed of SQLite%n",
                    postgres / sqlite, sqlite / postgres);
        } finally {
            dropDatabase(server, database);
            Scratch.delete(dir);
        }
    }

    /** Builds the store, runs one cleanup over it, prints and returns its seconds. */
    private static double measure(String name, TaskStore store, Path home, int taskCount, int files, Instant at) throws Exception {
        try (Reclaim r = Reclaim.builder().taskStore(store)
                .artifactStore(FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(false).open())
                .stagingRoot(home.resolve("staging")).build()) {
            long setup = System.nanoTime();
            populate(r, home.resolve("artifacts"), taskCount, files, at);
            System.out.printf("%s: %d archived tasks x %d files built in %.1f s%n", name.trim(), taskCount, files,
                    (System.nanoTime() - setup) / 1e9);
            System.out.flush();
            long start = System.nanoTime();
            CleanupRun run = r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(30).forceDelete(true)
                    .ageBasis(AgeBasis.STATUS_CHANGED).build(), null, CleanupListener.NONE);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (run.deleted() != taskCount) {
                throw new IllegalStateException(name.trim() + " deleted " + run.deleted() + " of " + taskCount);
            }
            System.out.printf("  %s cleanup: %8.1f s  %8.0f tasks/s  (%d tasks, %d objects)%n", name, seconds,
                    taskCount / seconds, run.deleted(), run.objects());
            System.out.flush();
            return seconds;
        }
    }

    /**
     * Archived tasks of mixed (deletable) statuses, 40 days old, with F 100-byte files each: rows
     * inserted in bulk, 1,000 tasks at a time, and each file written under {@code root} at its key.
     */
    static void populate(Reclaim r, Path root, int taskCount, int files, Instant at) throws Exception {
        TaskStatus[] statuses = {TaskStatus.CREATED, TaskStatus.COMPLETED, TaskStatus.COMPLETED, TaskStatus.FAILED,
                TaskStatus.CANCELED};
        byte[] content = new byte[100];
        List<Task> tasks = new ArrayList<>();
        List<Artifact> artifacts = new ArrayList<>();
        for (int t = 0; t < taskCount; t++) {
            Instant updated = at.plusMillis(t);
            String id = Ids.next(updated);
            tasks.add(Task.builder(id, "task-" + t, updated).project("p" + (t % 10)).status(statuses[t % statuses.length])
                    .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(updated).statusChangedAt(updated)
                    .lastUpdateAt(updated).build());
            String folder = "tasks/" + id + "/artifacts/";
            if (files > 0) {
                Files.createDirectories(root.resolve(folder));
            }
            for (int f = 0; f < files; f++) {
                String key = folder + "f" + f + ".bin";
                Files.write(root.resolve(key), content);
                artifacts.add(new Artifact(Ids.next(updated), id, ArtifactKind.ARTIFACT, "f" + f + ".bin", key, content.length,
                        updated, false, ArtifactState.LIVE));
            }
            if (tasks.size() == 1000) {
                flush(r, tasks, artifacts);
            }
        }
        flush(r, tasks, artifacts);
    }

    private static void flush(Reclaim r, List<Task> tasks, List<Artifact> artifacts) {
        r.taskStore().insertTasks(tasks);
        r.taskStore().insertArtifacts(artifacts);
        tasks.clear();
        artifacts.clear();
    }

    /** Creates a database of a random name on the server for one run; returns its name. */
    static String createDatabase(String server) throws SQLException {
        String database = "reclaim_bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        return database;
    }

    /** Drops a database {@link #createDatabase} made, ending any connection a failed run left open to it. */
    static void dropDatabase(String server, String database) throws SQLException {
        try (Connection c = DriverManager.getConnection(server); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** The server URL with its database replaced by {@code database} (query kept). */
    static String withDatabase(String serverUrl, String database) {
        String prefix = "jdbc:postgresql://";
        if (!serverUrl.startsWith(prefix)) {
            throw new IllegalArgumentException("--pg must be a jdbc:postgresql:// URL, was " + serverUrl);
        }
        String rest = serverUrl.substring(prefix.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q);
        String hostAndDb = q < 0 ? rest : rest.substring(0, q);
        int slash = hostAndDb.indexOf('/');
        String host = slash < 0 ? hostAndDb : hostAndDb.substring(0, slash);
        return prefix + host + "/" + database + query;
    }
}
