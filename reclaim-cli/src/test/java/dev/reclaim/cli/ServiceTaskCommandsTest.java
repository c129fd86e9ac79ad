package dev.reclaim.cli;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Cleanup Service as a task from the CLI: params, enqueue, {@code worker --services}, stop. */
class ServiceTaskCommandsTest {
    private static final String ID = ServiceTask.ID;

    @TempDir
    Path tmp;
    Cli cli;
    InProcessWorker worker;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
        assertThat(cli.run("tasks", "list").exitCode()).isZero(); // creates the home
    }

    @AfterEach
    void stopWorker() throws Exception {
        if (worker != null) {
            worker.close();
        }
    }

    private void startServicesWorker() {
        worker = InProcessWorker.start(cli, tmp, "--services", "--heartbeat", "100ms", "--lease-timeout", "2s");
    }

    private String status() {
        return cli.run("tasks", "list", "--project", "DevOps", "--fields", "status", "--output", "json").out();
    }

    @Test
    void theServiceTaskIsListedInDevOpsAndItsParametersAreTheSettings() {
        assertThat(cli.run("tasks", "list", "--project", "DevOps").out()).contains(ID).contains("Cleanup Service");
        Run show = cli.run("tasks", "params", "show", ID);
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("delete_threshold_days=30").contains("force_delete=false").contains("run_as_service=false");
    }

    @Test
    void deletingTheServiceTaskWithoutForceExits3NamingItsSettingsAndWithForceResetsThem() {
        assertThat(cli.run("tasks", "params", "set", ID, "delete_threshold_days=14").exitCode()).isZero();
        Map<String, String> before = cli.snapshot();

        Run refused = cli.run("tasks", "delete", ID);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("Cleanup Service").contains("delete_threshold_days=14").contains("--force");
        assertThat(cli.snapshot()).isEqualTo(before);

        Run forced = cli.run("tasks", "delete", "--force", ID);
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(cli.run("tasks", "params", "show", ID).out()).contains("delete_threshold_days=30");
    }

    @Test
    void paramsSetChecksEverySettingAndABadOneExits2AndChangesNothing() {
        Map<String, String> before = cli.snapshot();
        Run bad = cli.run("tasks", "params", "set", ID, "delete_threshold_days=14", "force_delete=maybe");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("force_delete").contains("true or false");
        Run notAssignment = cli.run("tasks", "params", "set", ID, "delete_threshold_days");
        assertThat(notAssignment.exitCode()).isEqualTo(2);
        assertThat(notAssignment.err()).contains("KEY=VALUE");
        assertThat(cli.snapshot()).isEqualTo(before);

        Run ok = cli.run("tasks", "params", "set", ID, "delete_threshold_days=14", "force_delete=TRUE");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("delete_threshold_days=14").contains("force_delete=true");
    }

    @Test
    void onlyTheServiceTaskCanBeEnqueuedOrStopped() {
        String other = cli.run("tasks", "create", "--name", "x").firstLine();
        Run enqueue = cli.run("tasks", "enqueue", other, "--queue", "services");
        assertThat(enqueue.exitCode()).isEqualTo(2);
        assertThat(enqueue.err()).contains("only the Cleanup Service task");
        Run stop = cli.run("tasks", "stop", other);
        assertThat(stop.exitCode()).isEqualTo(2);
        assertThat(stop.err()).contains("reclaim jobs cancel");
    }

    @Test
    void enqueueingWithoutAServicesWorkerSaysHowToStartOneAndStopTakesItOffTheQueue() {
        Run enqueue = cli.run("tasks", "enqueue", ID, "--queue", "services");
        assertThat(enqueue.exitCode()).isZero();
        assertThat(enqueue.out()).contains("queued on services");
        assertThat(enqueue.err()).contains("reclaim worker --services");
        assertThat(status()).contains("QUEUED");

        Run stop = cli.run("tasks", "stop", ID);
        assertThat(stop.exitCode()).isZero();
        assertThat(stop.out()).contains("taken off its queue");
        assertThat(status()).contains("CREATED");
    }

    @Test
    void aServicesWorkerRunsTheEnqueuedServiceUntilTasksStopEndsItCleanly() {
        String old = cli.run("tasks", "create", "--name", "old-draft").firstLine();
        assertThat(cli.run("tasks", "archive", old).exitCode()).isZero();
        assertThat(cli.run("tasks", "params", "set", ID, "run_as_service=true", "delete_threshold_days=0").exitCode()).isZero();
        startServicesWorker();

        assertThat(cli.run("tasks", "enqueue", ID, "--queue", "services").err()).isEmpty();
        await().atMost(Duration.ofSeconds(30)).until(() -> cli.run("jobs", "output", ID).out().contains("next run at"));
        assertThat(cli.run("tasks", "list", "--name", "old-draft").out()).doesNotContain(old);
        assertThat(status()).contains("RUNNING");
        Run edit = cli.run("tasks", "params", "set", ID, "keep_last=1");
        assertThat(edit.exitCode()).isEqualTo(2);
        assertThat(edit.err()).contains("draft");

        Run stop = cli.run("tasks", "stop", ID, "--timeout", "30s");

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(stop.out()).contains("stopping").contains(ID + " stopped");
        assertThat(status()).contains("CREATED");
        assertThat(cli.run("jobs", "output", ID).out()).contains("1 deleted").contains("draft again");
        Run history = cli.run("cleanup", "history", "--output", "json");
        assertThat(history.out()).contains(ID);
    }
}
