package dev.reclaim.cli;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.cli.Cli.Run;
import dev.reclaim.jdbc.PostgresTestDatabase;
import dev.reclaim.s3.S3ProxyFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 5's scale-out shape with real processes: two {@code reclaim worker} JVMs and two
 * {@code reclaim cleanup} JVMs, each with its own home (staging only), sharing one fresh
 * PostgreSQL database and one S3 bucket prefix (S3Proxy in this JVM, reached over loopback).
 * 500 command jobs are submitted while both workers poll; every job runs exactly once, on one of
 * the two workers. Some results are retrieved (which deletes those jobs), the rest archived; the
 * two cleanup processes released together never both delete, nothing is deleted twice (audit
 * rows in the database), no object outlives its records, and fsck finds the stores consistent.
 */
class MultiProcessSharedStoresTest {
    private static final int JOBS = 500;
    private static final int RETRIEVED = 50;
    /** In-process submitters: each CLI run opens its own pool and S3 client, so a few at once keep submission short. */
    private static final int SUBMITTERS = 4;
    private static final String PREFIX = "shared";

    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();
    private static final S3ProxyFixture S3 = S3ProxyFixture.shared();
    private static String bucket;

    @TempDir
    Path tmp;
    private final List<Process> children = new ArrayList<>();

    @BeforeAll
    static void credentials() {
        bucket = S3.newBucket();
        // The in-process CLI takes S3 credentials from the AWS default chain; system properties are part of it.
        System.setProperty("aws.accessKeyId", S3ProxyFixture.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", S3ProxyFixture.SECRET_KEY);
    }

    @AfterAll
    static void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
    }

    @AfterEach
    void killChildren() {
        for (Process p : children) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // jobs a worker was running
            p.destroyForcibly();
        }
    }

    /** The global flags every process gets: the shared task store and artifact store. */
    private static List<String> sharedStores() {
        return List.of("--db", PG.url(), "--artifacts", "s3://" + bucket + "/" + PREFIX,
                "--s3-endpoint", S3.endpoint().toString(), "--s3-path-style");
    }

    @Test
    void twoWorkersAndTwoCleanupProcessesShareOneDatabaseAndOneBucketSafely() throws Exception {
        Cli client = new Cli(tmp.resolve("client"));
        Run first = shared(client, "tasks", "list"); // creates the schema before the children race to
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path ranLog = tmp.resolve("ran.log");

        Process workerA = startWorker("worker-a");
        Process workerB = startWorker("worker-b");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> started(tmp.resolve("worker-a.log")) && started(tmp.resolve("worker-b.log")));

        List<String> ids = submitAll(client, ranLog);
        assertThat(new HashSet<>(ids)).hasSize(JOBS);

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                .until(() -> countJobs(client, "FINISHED", "FAILED", "UNDETERMINED", "CANCELED") == JOBS);
        assertThat(countJobs(client, "FINISHED")).as(() -> "finished jobs; the others: " + notFinished(client)).isEqualTo(JOBS);

        // every job ran exactly once, and only on the two workers
        List<String> lines = Files.readAllLines(ranLog);
        Map<String, Long> runsPerJob = lines.stream().collect(Collectors.groupingBy(l -> l.split(" ")[0], Collectors.counting()));
        assertThat(runsPerJob.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(runsPerJob.values()).as("runs per job").allMatch(n -> n == 1);
        Map<String, Long> jobsPerWorker = lines.stream().collect(Collectors.groupingBy(l -> l.split(" ")[1], Collectors.counting()));
        assertThat(jobsPerWorker.keySet()).as("worker pids that ran jobs")
                .isSubsetOf(String.valueOf(workerA.pid()), String.valueOf(workerB.pid()));
        // Both poll from before the first submission for the whole of it (tens of seconds): each claims some.
        assertThat(jobsPerWorker).as("jobs per worker").hasSize(2);

        // some results are handed back (auto-cleanup deletes those jobs), the rest archived as tasks
        List<String> retrieved = ids.subList(0, RETRIEVED);
        List<String> archived = ids.subList(RETRIEVED, JOBS);
        for (String id : retrieved) {
            Run r = shared(client, "jobs", "results", id);
            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(r.out()).contains(id);
            assertThat(r.err()).contains("cleaned up");
        }
        List<String> archive = new ArrayList<>(with("tasks", "archive"));
        archive.addAll(archived);
        Run archivedRun = client.run(archive.toArray(String[]::new));
        assertThat(archivedRun.exitCode()).as(archivedRun.toString()).isZero();

        // two cleanup processes released at the same moment
        Path go = tmp.resolve("go");
        List<Process> cleaners = List.of(startCleanup(go, "cleanup-a"), startCleanup(go, "cleanup-b"));
        await().atMost(Duration.ofSeconds(60)).until(() -> readyFiles(go) == 2);
        Files.writeString(go, "");
        for (Process p : cleaners) {
            assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("cleanup process ended").isTrue();
        }
        List<Integer> codes = cleaners.stream().map(Process::exitValue).sorted().toList();
        String cleanupLogs = Files.readString(tmp.resolve("cleanup-a.log")) + Files.readString(tmp.resolve("cleanup-b.log"));
        int runs = historyRuns(client, archived.size());
        if (codes.equals(List.of(0, 1))) {
            assertThat(cleanupLogs).contains("another cleanup run is in progress (held by cleanup-");
            assertThat(runs).as("cleanup runs recorded").isEqualTo(1);
        } else {
            // the second started only after the first had finished: serialized, it found nothing left
            assertThat(codes).as(cleanupLogs).containsExactly(0, 0);
            assertThat(runs).as("cleanup runs recorded").isEqualTo(2);
        }

        // nothing deleted twice, nothing left behind
        Map<String, Integer> auditRows = auditRowsPerTask();
        assertThat(auditRows.values()).as("audit rows per task").allMatch(n -> n == 1);
        assertThat(auditRows.keySet()).containsAll(archived);
        // only the Cleanup Service's own task (created by the first cleanup run) outlives the jobs
        assertThat(queryStrings("SELECT id FROM tasks")).as("tasks left").isSubsetOf(ServiceTask.ID);
        Set<String> liveKeys = queryStrings("SELECT storage_key FROM artifacts").stream()
                .map(k -> PREFIX + "/" + k).collect(Collectors.toSet());
        assertThat(objectsUnderPrefix()).as("objects not referenced by a live artifact").isSubsetOf(liveKeys);
        Run fsck = shared(client, "fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
    }

    /** Submits the jobs with {@code jobs submit --no-wait}; returns their ids in submission order. */
    private List<String> submitAll(Cli client, Path ranLog) throws Exception {
        // Each job appends "ID WORKER_PID" (its parent is the worker JVM) to one log: one short
        // O_APPEND write per line, so lines from concurrent jobs never interleave.
        String script = "echo \"$RECLAIM_JOB_ID $PPID\" >> '" + ranLog + "'; mkdir -p \"$RECLAIM_OUTPUT/artifacts\"; "
                + "echo \"$RECLAIM_JOB_ID\" > \"$RECLAIM_OUTPUT/artifacts/id.txt\"; "
                + "echo \"{\\\"id\\\": \\\"$RECLAIM_JOB_ID\\\"}\" > \"$RECLAIM_OUTPUT/result.json\"";
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<String>> submitted = new ArrayList<>();
            for (int i = 0; i < JOBS; i++) {
                submitted.add(pool.submit(() -> {
                    Run r = shared(client, "jobs", "submit", "--no-wait", "--", "sh", "-c", script);
                    assertThat(r.exitCode()).as(r.toString()).isZero();
                    return r.firstLine();
                }));
            }
            List<String> ids = new ArrayList<>();
            for (Future<String> f : submitted) {
                ids.add(f.get());
            }
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }

    private Process startWorker(String name) throws Exception {
        // No worker dies here, so a lease far above the heartbeat: on a loaded 2-core machine a short
        // one could expire under CPU starvation and show a healthy job UNDETERMINED.
        List<String> args = with("worker", "--slots", "2", "--heartbeat", "500ms", "--lease-timeout", "20s");
        return start(name, Main.class.getName(), args);
    }

    private Process startCleanup(Path go, String name) throws Exception {
        List<String> args = new ArrayList<>(List.of(go.toString()));
        args.addAll(with("cleanup", "--delete-threshold-days", "0", "--force-delete", "--output", "json"));
        return start(name, StartOnSignal.class.getName(), args);
    }

    /** A child JVM with its own home and the shared stores; its output goes to NAME.log. */
    private Process start(String name, String mainClass, List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), mainClass));
        int homeAt = mainClass.equals(Main.class.getName()) ? 0 : 1; // StartOnSignal takes the go file first
        command.addAll(args.subList(0, homeAt));
        command.addAll(List.of("--home", tmp.resolve(name).toString()));
        command.addAll(args.subList(homeAt, args.size()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("RECLAIM_"));
        pb.environment().put("AWS_ACCESS_KEY_ID", S3ProxyFixture.ACCESS_KEY);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyFixture.SECRET_KEY);
        Process p = pb.start();
        children.add(p);
        return p;
    }

    private static List<String> with(String... command) {
        List<String> all = new ArrayList<>(sharedStores());
        all.addAll(List.of(command));
        return all;
    }

    /** Runs the CLI in this JVM with the shared stores. */
    private static Run shared(Cli client, String... command) {
        return client.run(with(command).toArray(String[]::new));
    }

    private static boolean started(Path log) throws Exception {
        return Files.exists(log) && Files.readString(log).contains(" started: queues");
    }

    private static long countJobs(Cli client, String... states) {
        List<String> args = new ArrayList<>(with("jobs", "list"));
        for (String s : states) {
            args.addAll(List.of("--state", s));
        }
        Run r = client.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out().lines().count() - 1; // header
    }

    /** The jobs that did not finish, with the console of the first few, for the failure message. */
    private String notFinished(Cli client) {
        Run list = shared(client, "jobs", "list", "--state", "FAILED", "--state", "UNDETERMINED", "--state", "CANCELED");
        StringBuilder why = new StringBuilder(list.out());
        list.out().lines().skip(1).limit(3).map(l -> l.split("\\s+")[0])
                .forEach(id -> why.append("\n").append(id).append(": ").append(shared(client, "jobs", "output", id).out()));
        for (String worker : List.of("worker-a", "worker-b")) {
            try {
                why.append("\n").append(worker).append(".log:\n").append(Files.readString(tmp.resolve(worker + ".log")));
            } catch (IOException e) {
                why.append("\n").append(worker).append(".log unreadable: ").append(e);
            }
        }
        return why.toString();
    }

    private static long readyFiles(Path go) throws Exception {
        try (var s = Files.list(go.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("go.") && p.toString().endsWith(".ready")).count();
        }
    }

    /** Runs in {@code cleanup history}; their "deleted" counts must add up to the archived tasks. */
    private static int historyRuns(Cli client, int archived) {
        Run history = shared(client, "cleanup", "history", "--output", "json");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        Matcher m = Pattern.compile("\"deleted\" : (\\d+)").matcher(history.out());
        int runs = 0;
        int deleted = 0;
        while (m.find()) {
            runs++;
            deleted += Integer.parseInt(m.group(1));
        }
        assertThat(deleted).as("tasks deleted by cleanup runs: " + history.out()).isEqualTo(archived);
        return runs;
    }

    private static Map<String, Integer> auditRowsPerTask() throws SQLException {
        Map<String, Integer> rows = new HashMap<>();
        try (Connection c = DriverManager.getConnection(PG.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT task_id, count(*) FROM audit GROUP BY task_id")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getInt(2));
            }
        }
        return rows;
    }

    private static List<String> queryStrings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(PG.url()); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** Every object under the prefix but the root's identity marker. */
    private static List<String> objectsUnderPrefix() {
        return S3.admin().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(PREFIX + "/")).contents().stream()
                .map(S3Object::key).filter(k -> !k.equals(PREFIX + "/.reclaim-root")).sorted().toList();
    }
}
