package dev.reclaim.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code reclaim server} in its own JVM, stopped by SIGTERM while requests are in flight that do
 * not end by themselves: the process exits within its shutdown grace plus the stop allowance.
 */
class ServerSignalTest {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)/");
    /** JVM start-up and exit on a shared, loaded machine. */
    private static final Duration SLACK = Duration.ofSeconds(5);

    @TempDir
    Path tmp;
    Process server;

    @AfterEach
    void kill() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int listeningPort(Path log) throws IOException {
        Matcher m = LISTENING.matcher(Files.isRegularFile(log) ? Files.readString(log) : "");
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void sigtermEndsTheProcessWithinItsGraceWhileRequestsNeverEnd() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        // A name on which the filter below backtracks for minutes under java.util.regex.
        assertThat(cli.run("tasks", "create", "--name", "a".repeat(60) + "!").exitCode()).isZero();
        Duration grace = Duration.ofSeconds(2);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // Output goes to a file: destroy() closes the pipes of a child it signals.
        Path log = tmp.resolve("server.log");
        server = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--home", cli.home().toString(), "server", "--port", "0", "--workers", "0",
                "--shutdown-grace", grace.toSeconds() + "s").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int port = await().atMost(Duration.ofSeconds(60)).until(() -> listeningPort(log), p -> p > 0);
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // A job no worker runs, so waiting for it blocks for the longest wait the server allows.
        String job = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"command\": [\"true\"]}")).build(),
                HttpResponse.BodyHandlers.ofString()).body().replaceAll(".*\"id\":\"([0-9a-f]+)\".*", "$1");
        CompletableFuture<HttpResponse<Void>> waiting = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/api/v1/jobs/"
                + job + "/wait?timeout=25s")).build(), HttpResponse.BodyHandlers.discarding());
        CompletableFuture<HttpResponse<Void>> spinning = http.sendAsync(HttpRequest.newBuilder(URI.create(base
                + "/api/v1/tasks?name=" + URLEncoder.encode("(.*a){20}$", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.discarding());
        // Answered after both were sent: the server is up and they are in flight.
        assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);

        long t0 = System.nanoTime();
        server.destroy(); // SIGTERM
        Duration bound = grace.plusSeconds(ServerCommand.STOP_AND_CLOSE_SECONDS).plus(SLACK);
        boolean exited = server.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS);
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(exited).as("exited within " + bound + " of SIGTERM").isTrue();
        assertThat(took).as("took " + took).isLessThan(bound);
        assertThat(Files.readString(log)).contains("reclaim server stopping");
        // Neither client is left hanging.
        assertThat(waiting.handle((r, e) -> true).get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(spinning.handle((r, e) -> true).get(30, TimeUnit.SECONDS)).isTrue();
    }
}
