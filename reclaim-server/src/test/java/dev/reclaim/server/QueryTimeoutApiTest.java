package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.store.fs.FileArtifactStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A query stopped at the store's time limit is a 503 whose JSON message says how to narrow it. */
class QueryTimeoutApiTest {
    @TempDir
    Path home;

    @Test
    void aQueryStoppedAtTheTimeLimitIsAnswered503WithTheReason() throws Exception {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Task.builder(Ids.next(at), "a".repeat(95) + "-" + i, at).build());
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(home.resolve("reclaim.db"))) {
            store.insertTasks(tasks);
        }
        try (Reclaim reclaim = Reclaim.builder()
                .taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db"), Duration.ofMillis(1)))
                .artifactStore(FileArtifactStore.open(home.resolve("artifacts"))).stagingRoot(home.resolve("staging"))
                .meterRegistry(ReclaimServer.newMeterRegistry()).build();
             ReclaimServer server = new ReclaimServer(reclaim, ServerSettings.builder().port(0).workerSlots(0).build())) {
            server.start();
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + server.port() + "/api/v1/tasks?name=" + URLEncoder.encode("(.*a){20}$", StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").hasValue("1");
            JsonNode body = ServerFixture.MAPPER.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("unavailable");
            assertThat(body.path("message").asText()).startsWith("the query took longer than 0.001 s and was stopped; narrow the filter");
        }
    }

    /**
     * Another process holds the database's write lock and does not let go: a write waits for it no
     * longer than the time limit (300 ms here) and is answered 503 with Retry-After, changing
     * nothing; reads go on meanwhile; once the lock is free the same write succeeds.
     */
    @Test
    void aWriteThatCannotGetTheDatabaseWithinTheTimeLimitIs503WithRetryAfter() throws Exception {
        JdbcTaskStore.openSqlite(home.resolve("reclaim.db")).close();
        try (Reclaim reclaim = Reclaim.builder()
                .taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db"), Duration.ofMillis(300)))
                .artifactStore(FileArtifactStore.open(home.resolve("artifacts"))).stagingRoot(home.resolve("staging"))
                .meterRegistry(ReclaimServer.newMeterRegistry()).build();
             ReclaimServer server = new ReclaimServer(reclaim, ServerSettings.builder().port(0).workerSlots(0).build());
             Connection other = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("reclaim.db"))) {
            server.start();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest create = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/v1/tasks"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"waits\"}")).build();
            try (Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
            }

            HttpResponse<String> r = http.send(create, HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).as("Retry-After").isPresent();
            JsonNode body = ServerFixture.MAPPER.readTree(r.body());
            assertThat(body.path("error").asText()).isEqualTo("unavailable");
            assertThat(body.path("message").asText()).contains("busy", "nothing was changed", "try again");
            HttpResponse<String> read = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/api/v1/tasks")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(ServerFixture.MAPPER.readTree(read.body()).path("tasks")).as("nothing was created")
                    .noneMatch(t -> t.path("name").asText().equals("waits"));
            try (Statement s = other.createStatement()) {
                s.execute("ROLLBACK");
            }
            assertThat(http.send(create, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(201);
        }
    }
}
