package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job in a real worker JVM keeps writing console output while another process deletes its task
 * with force: the worker stops it quietly (no store error, no stack trace in its log), and nothing
 * of the job is left, neither its output folder nor any object.
 */
class JobDeletedWhileRunningTest {
    @TempDir
    Path tmp;
    Process workerProcess;
    final List<ProcessHandle> leftovers = new ArrayList<>();

    @AfterEach
    void killWhatIsLeft() {
        if (workerProcess != null) {
            leftovers.addAll(workerProcess.descendants().toList());
            workerProcess.destroyForcibly();
        }
        leftovers.forEach(ProcessHandle::destroyForcibly);
    }

    @Test
    void a_job_whose_task_is_deleted_while_it_writes_console_output_ends_quietly_and_leaves_nothing() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        // A long heartbeat: the worker learns of the deletion from its next console flush, not from a renewal.
        workerProcess = startWorkerJvm(cli.home(), "--heartbeat", "20s", "--lease-timeout", "60s");

        // more than one console flush (64 KiB) every 100 ms, and a model written before the deletion
        String id = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c",
                "mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt; "
                        + "while :; do head -c 70000 /dev/zero | tr '\\0' x; echo; sleep 0.1; done").firstLine();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cli.run("jobs", "output", id).out().length() > 0);
        Path jobOutput = cli.staging().resolve(id);
        assertThat(jobOutput.resolve("models/m.ckpt")).exists();

        Run deleted = cli.run("tasks", "delete", "--force", id);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> !Files.exists(jobOutput) && workerProcess.descendants().findAny().isEmpty());
        assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("MISSING");
        assertThat(cli.artifactFiles()).isEmpty();
        assertThat(cli.staging().toFile().list()).isEmpty();
        assertThat(workerProcess.isAlive()).isTrue();
        String log = Files.readString(tmp.resolve("worker.log"));
        assertThat(log).doesNotContain("ERROR").doesNotContain("WARN").doesNotContain("xception").doesNotContain("\tat ");
    }

    private Process startWorkerJvm(Path home, String... options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--home", home.toString(), "worker", "--slots", "1"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("worker.log").toFile()).start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.readString(tmp.resolve("worker.log")).contains("started"));
        return p;
    }
}
