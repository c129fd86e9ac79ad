package dev.reclaim.server;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Routes added for the web UI: the sizes column of {@code GET /tasks} and the Cleanup Service
 * queue controls ({@code /cleanup/service}, {@code /enqueue}, {@code /stop}). Each: happy path,
 * a role that is refused, and bad input answered 4xx with nothing changed.
 */
class UiRoutesApiTest {
    @TempDir
    Path home;
    ServerFixture f;

    @BeforeEach
    void start() {
        // No workers: an enqueued service stays QUEUED, so the test sees each state.
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private TaskStatus serviceStatus() {
        return f.reclaim.tasks().get(ServiceTask.ID).status();
    }

    @Test
    void sizesAddTheLiveBytesOfEachTaskOnThePage() throws IOException {
        String big = f.post("/api/v1/tasks", "{\"name\": \"big\", \"project\": \"sz\"}").json().path("id").asText();
        String empty = f.post("/api/v1/tasks", "{\"name\": \"empty\", \"project\": \"sz\"}").json().path("id").asText();
        f.reclaim.tasks().addArtifact(big, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m.bin"), new byte[1000]));
        f.reclaim.tasks().addArtifact(big, ArtifactKind.LOG, "log.txt", Files.write(home.resolve("log.txt"), new byte[24]));

        JsonNode tasks = f.get("/api/v1/tasks?project=sz&sizes=true&order_by=name").json().path("tasks");

        assertThat(tasks).hasSize(2);
        assertThat(tasks.get(0).path("id").asText()).isEqualTo(big);
        assertThat(tasks.get(0).path("size_bytes").asLong()).isEqualTo(1024);
        assertThat(tasks.get(1).path("id").asText()).isEqualTo(empty);
        assertThat(tasks.get(1).path("size_bytes").asLong()).isZero();
        // Without the flag the rows stay as they were, and a projection is still honoured with it.
        assertThat(f.get("/api/v1/tasks?project=sz").json().path("tasks").get(0).has("size_bytes")).isFalse();
        JsonNode projected = f.get("/api/v1/tasks?project=sz&sizes=true&fields=name&order_by=name").json().path("tasks").get(0);
        assertThat(projected.path("name").asText()).isEqualTo("big");
        assertThat(projected.path("size_bytes").asLong()).isEqualTo(1024);
    }

    @Test
    void aBadSizesValueIsA400() {
        ServerFixture.Answer a = f.get("/api/v1/tasks?sizes=maybe");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("message").asText()).contains("sizes must be true or false");
    }

    @Test
    void aBrowserAskingForGzipGetsTheArtifactAsStoredWithItsLength() throws Exception {
        String id = f.post("/api/v1/tasks", "{\"name\": \"dl\"}").json().path("id").asText();
        byte[] content = "0123456789".repeat(500).getBytes(StandardCharsets.US_ASCII); // compressible
        var a = f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("gz.bin"), content));
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + f.server.port()
                + "/api/v1/tasks/" + id + "/artifacts/" + a.id() + "/content")).header("Accept-Encoding", "gzip, deflate").GET().build();

        var res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());

        // Compressing it overran the Content-Length and broke every browser download.
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(res.headers().firstValue("Content-Length")).contains(String.valueOf(content.length));
        assertThat(res.body()).isEqualTo(content);
    }

    @Test
    void theServiceIsEnqueuedOnTheServicesQueueAndStopped() {
        JsonNode before = f.get("/api/v1/cleanup/service").json();
        assertThat(before.path("id").asText()).isEqualTo(ServiceTask.ID);
        assertThat(before.path("status").asText()).isEqualTo("CREATED");

        ServerFixture.Answer enq = f.post("/api/v1/cleanup/service/enqueue", null);
        assertThat(enq.status()).as(enq.body()).isEqualTo(200);
        assertThat(enq.json().path("status").asText()).isEqualTo("QUEUED");
        assertThat(enq.json().path("queue").asText()).isEqualTo(ServiceTask.QUEUE);
        assertThat(serviceStatus()).isEqualTo(TaskStatus.QUEUED);

        ServerFixture.Answer stop = f.post("/api/v1/cleanup/service/stop", null);
        assertThat(stop.status()).as(stop.body()).isEqualTo(200);
        assertThat(stop.json().path("outcome").asText()).isEqualTo("DEQUEUED");
        assertThat(stop.json().path("service").path("status").asText()).isEqualTo("CREATED");
        assertThat(serviceStatus()).isEqualTo(TaskStatus.CREATED);

        // Stopping a draft is not an error: it says so and changes nothing.
        JsonNode again = f.post("/api/v1/cleanup/service/stop", null).json();
        assertThat(again.path("outcome").asText()).isEqualTo("NOT_RUNNING");
    }

    @Test
    void enqueueingTwiceIsA409AndLeavesItQueued() {
        f.post("/api/v1/cleanup/service/enqueue", null);
        var lastUpdate = f.reclaim.tasks().get(ServiceTask.ID).lastUpdateAt();

        ServerFixture.Answer twice = f.post("/api/v1/cleanup/service/enqueue", null);

        assertThat(twice.status()).isEqualTo(409);
        assertThat(twice.error()).isEqualTo("conflict");
        assertThat(twice.json().path("message").asText()).contains("already QUEUED").contains("/service/stop");
        assertThat(serviceStatus()).isEqualTo(TaskStatus.QUEUED);
        assertThat(f.reclaim.tasks().get(ServiceTask.ID).lastUpdateAt()).isEqualTo(lastUpdate);
    }

    @Test
    void settingsCannotChangeWhileTheServiceIsQueued() {
        f.post("/api/v1/cleanup/service/enqueue", null);

        ServerFixture.Answer put = f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"1\"}}");

        assertThat(put.status()).isEqualTo(400);
        assertThat(put.json().path("message").asText()).contains("draft");
        assertThat(f.get("/api/v1/cleanup/settings").json().path("settings").path("delete_threshold_days").asText())
                .isEqualTo("30");
    }

    @Test
    void unknownQueryParametersAreRefusedBeforeAnythingChanges() {
        ServerFixture.Answer a = f.post("/api/v1/cleanup/service/enqueue?queue=default", null);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("message").asText()).contains("unknown query parameter 'queue'");
        assertThat(serviceStatus()).isEqualTo(TaskStatus.CREATED);
    }

    @Test
    void aViewerMayLookButNotEnqueueOrStop() {
        f.post("/api/v1/cleanup/service/enqueue", null); // open access until the first token exists
        f.token = f.server.tokens().create("v", Role.VIEWER).token();

        assertThat(f.get("/api/v1/cleanup/service").status()).isEqualTo(200);
        ServerFixture.Answer stop = f.post("/api/v1/cleanup/service/stop", null);
        assertThat(stop.status()).isEqualTo(403);
        assertThat(stop.json().path("message").asText()).contains("needs role operator");
        assertThat(f.post("/api/v1/cleanup/service/enqueue", null).status()).isEqualTo(403);
        assertThat(serviceStatus()).isEqualTo(TaskStatus.QUEUED);

        f.token = f.server.tokens().create("o", Role.OPERATOR).token();
        assertThat(f.post("/api/v1/cleanup/service/stop", null).status()).isEqualTo(200);
        assertThat(serviceStatus()).isEqualTo(TaskStatus.CREATED);
    }
}
