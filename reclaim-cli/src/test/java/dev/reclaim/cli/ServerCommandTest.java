package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import dev.reclaim.testkit.RealSlurm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code reclaim server} run in this JVM, called over HTTP, stopped the way Ctrl-C stops it. */
class ServerCommandTest {
    @TempDir
    Path tmp;
    Cli cli;
    ExecutorService thread = Executors.newSingleThreadExecutor();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
    }

    @AfterEach
    void tearDown() {
        thread.shutdownNow();
    }

    private int get(int port, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aServerWithSlurmFollowsTheSlurmJobsOthersQueue() throws Exception {
        RealSlurm.require();
        CommandLine cl = Main.commandLine(cli.env(), tmp, new PrintWriter(out, true), new PrintWriter(err, true));
        ServerCommand server = cl.getSubcommands().get("server").getCommand();
        Future<Integer> exit = thread.submit(() -> cl.execute("--home", cli.home().toString(), "server", "--port", "0",
                "--workers", "0", "--slurm"));
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("listening on"));
        assertThat(out.toString()).contains("following Slurm jobs");

        String id = cli.run("jobs", "submit", "--executor", "slurm", "--no-wait", "--no-auto-cleanup", "--", "sh", "-c",
                "echo 7 > $RECLAIM_OUTPUT/result.json").firstLine();

        await().atMost(Duration.ofSeconds(90)).until(() -> cli.run("jobs", "status", id).out().contains("FINISHED"));
        assertThat(cli.run("jobs", "results", id).out()).contains("7");
        server.requestStop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void theServerPrintsItsUrlServesTheApiWithTokensAndStopsCleanly() throws Exception {
        String token = cli.run("tokens", "create", "--name", "ops", "--role", "viewer").firstLine();
        CommandLine cl = Main.commandLine(cli.env(), tmp, new PrintWriter(out, true), new PrintWriter(err, true));
        ServerCommand server = cl.getSubcommands().get("server").getCommand();
        Future<Integer> exit = thread.submit(() -> cl.execute("--home", cli.home().toString(), "server", "--port", "0",
                "--workers", "1", "--cleanup-service", "--allowed-host", "build-box.lan,10.1.2.3",
                "--public-url", "https://reclaim.example.org"));
        await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("listening on"));
        int port = server.server().port();
        assertThat(out.toString()).contains("http://127.0.0.1:" + port + "/").contains("Cleanup Service on")
                .contains("answers to host 127.0.0.1, localhost, [::1], reclaim.example.org, build-box.lan, 10.1.2.3");
        assertThat(err.toString()).doesNotContain("warning");

        assertThat(get(port, "/health", null)).isEqualTo(200);
        assertThat(get(port, "/api/v1/tasks", null)).isEqualTo(401);
        assertThat(get(port, "/api/v1/tasks", token)).isEqualTo(200);

        server.requestStop();
        assertThat(exit.get(60, TimeUnit.SECONDS)).isZero();
        assertThat(out.toString()).contains("reclaim server stopped");
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenExitsTwoAndSaysHowToCreateOne() {
        Run r = cli.run("server", "--port", "0", "--bind", "0.0.0.0");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("refusing to listen on 0.0.0.0").contains("reclaim tokens create --name NAME --role admin");
    }

    @Test
    void badServerOptionsExitTwoAndChangeNothing() {
        assertThat(cli.run("server", "--port", "70000").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("server", "--workers", "-1").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.run("server", "--bind", "").exitCode()).isEqualTo(ExitCodes.USAGE);
        Run badUrl = cli.run("server", "--public-url", "ftp://files.example");
        assertThat(badUrl.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(badUrl.err()).contains("public URL 'ftp://files.example' is not an absolute http(s) URL");
        for (String host : new String[] {"*.example.org", "evil host", "build-box:8080", "http://build-box"}) {
            Run badHost = cli.run("server", "--allowed-host", host);
            assertThat(badHost.exitCode()).as(host).isEqualTo(ExitCodes.USAGE);
            assertThat(badHost.err()).contains("allowed host '" + host + "' is not a host name or IP address");
        }
        assertThat(cli.run("server", "--shutdown-grace", "10m").err()).contains("shutdown grace must be between 0s and 5m");
        assertThat(cli.home()).doesNotExist();
    }
}
