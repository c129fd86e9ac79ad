package dev.reclaim.server;

import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Stopping the server ends within its shutdown grace however its requests behave: one that ends
 * within the grace is answered, one that never ends (a query that ignores interrupts, as a regular
 * expression spinning inside SQLite does) is left behind and the stop returns anyway.
 */
class ServerShutdownTest {
    private static final Duration SLACK = Duration.ofSeconds(3);

    @TempDir
    Path home;
    Reclaim reclaim;
    ReclaimServer server;
    final HeldQueries held = new HeldQueries();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * The real SQLite store, except that while armed every task query waits until released and
     * ignores interrupts meanwhile.
     */
    static final class HeldQueries {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        volatile boolean armed;

        TaskStore around(TaskStore real) {
            return (TaskStore) Proxy.newProxyInstance(TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class},
                    (proxy, method, args) -> {
                        if (armed && method.getName().equals("query")) {
                            entered.countDown();
                            boolean interrupted = false;
                            while (release.getCount() > 0) {
                                try {
                                    release.await();
                                } catch (InterruptedException e) {
                                    interrupted = true;
                                }
                            }
                            if (interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        try {
                            return method.invoke(real, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
        }
    }

    private void start(Duration grace) {
        reclaim = Reclaim.builder().taskStore(held.around(JdbcTaskStore.openSqlite(home.resolve("reclaim.db"))))
                .artifactStore(FileArtifactStore.open(home.resolve("artifacts"))).stagingRoot(home.resolve("staging"))
                .meterRegistry(ReclaimServer.newMeterRegistry()).build();
        server = new ReclaimServer(reclaim, ServerSettings.builder().port(0).workerSlots(1).shutdownGrace(grace).build()).start();
        held.armed = true;
    }

    @AfterEach
    void tearDown() {
        held.release.countDown();
        if (server != null) {
            server.stop();
        }
        if (reclaim != null) {
            reclaim.close();
        }
    }

    private CompletableFuture<HttpResponse<String>> listTasks() {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/tasks")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static boolean refusesConnections(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            return false;
        } catch (ConnectException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void stopReturnsWithinTheGraceWhileARequestNeverEnds() throws Exception {
        Duration grace = Duration.ofSeconds(1);
        start(grace);
        int port = server.port();
        CompletableFuture<HttpResponse<String>> stuck = listTasks();
        assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        server.stop();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).isLessThan(grace.plus(ReclaimServer.STOP_ALLOWANCE).plus(SLACK));
        assertThat(refusesConnections(port)).isTrue();
        held.release.countDown();
        // The client is not left hanging: the connection was closed under it, or the late answer came.
        assertThat(stuck.handle((answer, error) -> true).get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aRequestThatEndsWithinTheGraceIsAnsweredWhileNewConnectionsAreRefused() throws Exception {
        start(Duration.ofSeconds(60));
        int port = server.port();
        CompletableFuture<HttpResponse<String>> inFlight = listTasks();
        assertThat(held.entered.await(30, TimeUnit.SECONDS)).isTrue();
        try (Socket open = new Socket("127.0.0.1", port)) {
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
            await().atMost(Duration.ofSeconds(20)).until(() -> refusesConnections(port));
            assertThat(stopping).isNotDone();

            // A connection opened before the stop may still send a request: it is told the server is stopping.
            open.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String late = new String(open.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(late).startsWith("HTTP/1.1 503").contains("\"error\":\"unavailable\"").contains("nosniff");
            held.release.countDown();

            HttpResponse<String> answer = inFlight.get(30, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            stopping.get(30, TimeUnit.SECONDS);
        }
    }
}
