package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.model.ArtifactKind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /api/v1/usage}: where the bytes are, grouped as asked, and bad groupings refused. */
class UsageApiTest {
    @TempDir
    Path home;
    ServerFixture f;

    @BeforeEach
    void start() {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void usageIsGroupedAsAskedWithTheLargestTasks() throws Exception {
        String big = f.post("/api/v1/tasks", "{\"name\": \"big\", \"project\": \"vision\"}").json().path("id").asText();
        String small = f.post("/api/v1/tasks", "{\"name\": \"small\", \"project\": \"nlp\"}").json().path("id").asText();
        f.reclaim.tasks().addArtifact(big, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m"), new byte[300]));
        f.reclaim.tasks().addArtifact(small, ArtifactKind.LOG, "l.txt", Files.write(home.resolve("l"), new byte[20]));

        JsonNode r = f.get("/api/v1/usage?by=project,kind&top=1").json();

        assertThat(r.path("bytes").asLong()).isEqualTo(320);
        assertThat(r.path("by").get(0).asText()).isEqualTo("PROJECT");
        assertThat(r.path("groups").get(0).path("key").get(0).asText()).isEqualTo("vision");
        assertThat(r.path("groups").get(0).path("bytes").asLong()).isEqualTo(300);
        assertThat(r.path("top_tasks")).hasSize(1);
        assertThat(r.path("top_tasks").get(0).path("task_id").asText()).isEqualTo(big);
    }

    @Test
    void theHistoryListsEachDayOldestFirstWithWhatWasAddedAndFreed() throws Exception {
        String t = f.post("/api/v1/tasks", "{\"name\": \"t\", \"project\": \"vision\"}").json().path("id").asText();
        f.reclaim.tasks().addArtifact(t, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m"), new byte[300]));

        JsonNode days = f.get("/api/v1/usage/history?days=3").json().path("days");

        assertThat(days).hasSize(3);
        assertThat(days.get(0).path("bytes").asLong()).isZero();
        assertThat(days.get(2).path("bytes").asLong()).isEqualTo(300);
        assertThat(days.get(2).path("added_bytes").asLong()).isEqualTo(300);
        assertThat(days.get(2).path("freed_bytes").asLong()).isZero();
        assertThat(days.get(2).path("day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(f.get("/api/v1/usage/history?days=0").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/usage/history?days=3651").json().path("message").asText()).contains("3650");
    }

    @Test
    void anUnknownGroupingIsA400NamingTheChoices() {
        ServerFixture.Answer bad = f.get("/api/v1/usage?by=project,colour");

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("'colour'").contains("project, kind, status");
        assertThat(f.get("/api/v1/usage?top=1001").status()).isEqualTo(400);
    }
}
