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
 * A worker in a real child JVM is killed (SIGKILL) mid-job: the job shows UNDETERMINED once its
 * lease runs out, cleanup without force refuses it, and cleanup --force removes everything,
 * including the output folder the dead job was writing into.
 */
class WorkerCrashTest {
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
    void a_killed_worker_leaves_an_undetermined_job_that_only_cleanup_force_removes_with_everything() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        workerProcess = startWorkerJvm(cli.home());

        String id = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c",
                "mkdir -p $RECLAIM_OUTPUT/models; echo x > $RECLAIM_OUTPUT/models/m.ckpt; sleep 60").firstLine();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> status(cli, id).equals("RUNNING"));
        Path jobOutput = cli.staging().resolve(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(jobOutput.resolve("models/m.ckpt")));

        List<ProcessHandle> jobProcesses = workerProcess.descendants().toList();
        workerProcess.destroyForcibly(); // SIGKILL: no shutdown hook, no requeue
        assertThat(workerProcess.waitFor(10, TimeUnit.SECONDS)).isTrue();
        jobProcesses.forEach(ProcessHandle::destroyForcibly);
        leftovers.addAll(jobProcesses);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> status(cli, id).equals("UNDETERMINED"));

        Run refused = cli.run("jobs", "cleanup", id);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("cannot be determined").contains("--force");
        assertThat(jobOutput).exists();

        Run forced = cli.run("jobs", "cleanup", "--force", id);
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.out()).contains("deleted record task " + id);
        assertThat(status(cli, id)).isEqualTo("MISSING");
        assertThat(cli.artifactFiles()).isEmpty();
        assertThat(jobOutput).doesNotExist();
    }

    private static String status(Cli cli, String id) {
        return cli.run("jobs", "status", id).trimmedOut();
    }

    private Process startWorkerJvm(Path home) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", home.toString(), "worker", "--slots", "1", "--heartbeat", "200ms", "--lease-timeout", "1s")
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("worker.log").toFile())
                .start();
    }
}
