package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.model.ArtifactKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The audit trail over HTTP: {@code /api/v1/audit} narrowed and paged, a cleanup run's report with
 * what started it and who, and every task it deleted.
 */
class AuditApiTest {
    @TempDir
    Path home;
    ServerFixture f;
    final List<String> archived = new ArrayList<>();

    @BeforeEach
    void threeArchivedDrafts() throws Exception {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
        for (int i = 0; i < 3; i++) {
            String id = f.post("/api/v1/tasks", "{\"name\": \"old" + i + "\"}").json().path("id").asText();
            f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m" + i), new byte[100]));
            f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + id + "\"]}");
            archived.add(id);
        }
        f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"0\"}}");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aRunStartedThroughTheApiRecordsItsTriggerAndCallerAndListsEveryTaskItDeleted() {
        ServerFixture.Answer run = f.post("/api/v1/cleanup/run", null);
        String runId = run.json().path("id").asText();

        JsonNode report = f.get("/api/v1/cleanup/runs/" + runId).json();
        assertThat(report.path("trigger").asText()).isEqualTo("api");
        assertThat(report.path("started_by").asText()).isEqualTo("local");

        List<String> deleted = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = f.get("/api/v1/cleanup/runs/" + runId + "/deleted?limit=2" + cursor).json();
            page.path("items").forEach(l -> deleted.add(l.path("task_id").asText()));
            cursor = page.has("next_cursor") ? "&cursor=" + page.path("next_cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(deleted).containsExactlyInAnyOrderElementsOf(archived);
        assertThat(pages).isEqualTo(2);
    }

    @Test
    void aRunFromTheWebUiIsLabelledUi() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + f.server.port() + "/api/v1/cleanup/run"))
                .header("Content-Type", "application/json").header("X-Reclaim-Client", "web-ui")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(r.body()).path("trigger").asText()).isEqualTo("ui");
    }

    @Test
    void theAuditIsNarrowedByTaskRunAndWho() {
        String runId = f.post("/api/v1/cleanup/run", null).json().path("id").asText();

        assertThat(f.get("/api/v1/audit").json().path("items")).hasSize(3);
        assertThat(f.get("/api/v1/audit?run=" + runId).json().path("items")).hasSize(3);
        assertThat(f.get("/api/v1/audit?task=" + archived.get(1)).json().path("items")).singleElement()
                .satisfies(l -> assertThat(l.path("run_id").asText()).isEqualTo(runId));
        assertThat(f.get("/api/v1/audit?who=someone-else").json().path("items")).isEmpty();
        assertThat(f.get("/api/v1/audit?since=2099-01-01T00:00:00Z").json().path("items")).isEmpty();
    }

    @Test
    void badAuditRequestsAre4xxSayingWhatToPass() {
        assertThat(f.get("/api/v1/audit?cursor=x").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/audit?limit=1001").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/audit?task=nope").status()).isEqualTo(400);
        ServerFixture.Answer since = f.get("/api/v1/audit?since=yesterday");
        assertThat(since.status()).isEqualTo(400);
        assertThat(since.json().path("message").asText()).contains("since");
        ServerFixture.Answer missing = f.get("/api/v1/cleanup/runs/0123456789abcdef0123456789ab");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("message").asText()).contains("/cleanup/history");
    }

    @Test
    void aForecastOverHttpSaysWhatWouldGoTodayAndLaterAndDeletesNothing() {
        f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"5\"}}");

        ServerFixture.Answer forecast = f.post("/api/v1/cleanup/forecast?days=10", null);

        assertThat(forecast.status()).as(forecast.body()).isEqualTo(200);
        JsonNode horizons = forecast.json().path("horizons");
        assertThat(horizons.findValuesAsText("days")).containsExactly("0", "7", "10");
        assertThat(horizons.get(0).path("tasks").asLong()).isZero();
        assertThat(horizons.get(1).path("tasks").asLong()).isEqualTo(3);
        assertThat(horizons.get(1).path("bytes").asLong()).isEqualTo(300);
        assertThat(f.get("/api/v1/audit").json().path("items")).isEmpty();
        assertThat(f.post("/api/v1/cleanup/forecast?days=0", null).status()).isEqualTo(400);
    }
}
