package dev.reclaim.cli;

import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.fs.FileArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real {@code reclaim cleanup} processes released at the same moment against one home: the
 * lease lets exactly one run; the other says who holds it and exits 1, and nothing is deleted
 * twice.
 */
class ConcurrentCleanupProcessesTest {
    private static final int TASKS = 1_500;

    @TempDir
    Path tmp;
    final List<Process> children = new ArrayList<>();

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void twoCleanupProcessesStartedTogetherNeverBothRun() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        assertThat(cli.run("tasks", "list").exitCode()).isZero(); // creates the home
        populate(cli);
        Path go = tmp.resolve("go");

        for (int i = 0; i < 2; i++) {
            children.add(child(go, cli.home(), tmp.resolve("cleanup-" + i + ".log")));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> readyFiles(go) == 2);
        Files.writeString(go, "");
        for (Process p : children) {
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }

        List<Integer> codes = children.stream().map(Process::exitValue).sorted().toList();
        String logs = Files.readString(tmp.resolve("cleanup-0.log")) + Files.readString(tmp.resolve("cleanup-1.log"));
        assertThat(codes).as(logs).containsExactly(0, 1);
        assertThat(logs).contains("another cleanup run is in progress (held by cleanup-");
        String history = cli.run("cleanup", "history", "--output", "json").out();
        assertThat(history.split("\"started_at\"", -1)).as("one run recorded").hasSize(2);
        assertThat(history).contains("\"deleted\" : " + TASKS);
        assertThat(cli.run("tasks", "list", "--system-tag", "archived", "--output", "json").out()).doesNotContain("task-");
        assertThat(cli.artifactFiles()).isEmpty();
        assertThat(cli.run("fsck").exitCode()).isZero();
    }

    private static long readyFiles(Path go) throws Exception {
        try (var s = Files.list(go.getParent())) {
            return s.filter(p -> p.getFileName().toString().startsWith("go.") && p.toString().endsWith(".ready")).count();
        }
    }

    private Process child(Path go, Path home, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StartOnSignal.class.getName(),
                // a page per task: the first run must outlast the second process's start (opening the
                // store and checking its schema took it 1.5 s on a loaded machine), which a run of
                // 500-task pages no longer did once a page cost a few milliseconds
                go.toString(), "--home", home.toString(), "cleanup", "--delete-threshold-days", "1", "--page-size", "1",
                "--output", "json")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Archived drafts, 2 days old, with two small files each, written straight into the home's stores. */
    private static void populate(Cli cli) {
        Instant at = Instant.now().minus(Duration.ofDays(2));
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"));
             FileArtifactStore files = FileArtifactStore.open(cli.artifacts())) {
            List<Task> tasks = new ArrayList<>();
            List<Artifact> artifacts = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                String id = Ids.next(at);
                tasks.add(Task.builder(id, "task-" + i, at).status(TaskStatus.CREATED)
                        .systemTags(new TreeSet<>(Set.of(Task.ARCHIVED))).archivedAt(at).build());
                for (int f = 0; f < 2; f++) {
                    String key = "tasks/" + id + "/artifacts/f" + f;
                    files.putBytes(key, new byte[10]);
                    artifacts.add(new Artifact(Ids.next(at), id, ArtifactKind.ARTIFACT, "f" + f, key, 10, at, false,
                            ArtifactState.LIVE));
                }
            }
            store.insertTasks(tasks);
            store.insertArtifacts(artifacts);
        }
    }
}
