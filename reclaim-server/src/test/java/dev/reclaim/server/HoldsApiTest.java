package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.tokens.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Holds over HTTP, and deleting one artifact: roles, refusals, dry runs, bad input. */
class HoldsApiTest {
    @TempDir
    Path home;
    ServerFixture f;
    String task;
    Artifact model;

    @BeforeEach
    void start() throws Exception {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
        task = f.post("/api/v1/tasks", "{\"name\": \"t\", \"project\": \"p\"}").json().path("id").asText();
        model = f.reclaim.tasks().addArtifact(task, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m"), new byte[300]));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void aHeldTaskIsListedAndItsArtifactsDeletionNeedsForceWhichReleasesTheHold() {
        JsonNode held = f.post("/api/v1/tasks/" + task + "/hold", "{\"reason\": \"paper\"}").json();
        JsonNode again = f.post("/api/v1/tasks/" + task + "/hold", null).json();
        JsonNode holds = f.get("/api/v1/holds").json().path("holds");
        ServerFixture.Answer refused = f.delete("/api/v1/tasks/" + task + "/artifacts/" + model.id());
        JsonNode forced = f.delete("/api/v1/tasks/" + task + "/artifacts/" + model.id() + "?force=true").json();

        assertThat(held.path("changed").asBoolean()).isTrue();
        assertThat(again.path("changed").asBoolean()).isFalse();
        assertThat(holds).hasSize(1);
        assertThat(holds.get(0).path("target").asText()).isEqualTo("TASK");
        assertThat(holds.get(0).path("reason").asText()).isEqualTo("paper");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().path("message").asText()).contains("on hold").contains("?force=true");
        assertThat(forced.path("deleted").asBoolean()).isTrue();
        assertThat(forced.path("bytes").asLong()).isEqualTo(300);
        // a forced artifact deletion releases the holds of what it deletes, not the task's
        assertThat(f.get("/api/v1/holds").json().path("holds")).hasSize(1);
    }

    @Test
    void aDryRunDeletesNothingAndSaysWhatTheDeletionFrees() {
        JsonNode dry = f.delete("/api/v1/tasks/" + task + "/artifacts/" + model.id() + "?dry_run=true").json();

        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(dry.path("bytes").asLong()).isEqualTo(300);
        assertThat(f.reclaim.tasks().liveArtifacts(task)).hasSize(1);
    }

    @Test
    void aViewerCanListHoldsButNotHoldOrDelete() {
        f.token = f.reclaim.tokens().create("admin", Role.ADMIN).token();
        String viewer = f.reclaim.tokens().create("viewer", Role.VIEWER).token();
        f.token = viewer;

        assertThat(f.get("/api/v1/holds").status()).isEqualTo(200);
        assertThat(f.post("/api/v1/tasks/" + task + "/hold", null).status()).isEqualTo(403);
        assertThat(f.delete("/api/v1/tasks/" + task + "/artifacts/" + model.id()).status()).isEqualTo(403);
        assertThat(f.reclaim.tasks().liveArtifacts(task)).hasSize(1);
    }

    @Test
    void unknownTasksArtifactsAndCursorsAreClearErrors() {
        ServerFixture.Answer noTask = f.post("/api/v1/tasks/" + "0".repeat(28) + "/hold", null);
        ServerFixture.Answer notItsArtifact = f.post("/api/v1/tasks/" + f.post("/api/v1/tasks", "{\"name\": \"o\"}").json()
                .path("id").asText() + "/artifacts/" + model.id() + "/hold", null);
        ServerFixture.Answer badCursor = f.get("/api/v1/holds?cursor=nonsense");
        ServerFixture.Answer badBody = f.post("/api/v1/tasks/" + task + "/hold", "{\"reasn\": \"typo\"}");

        assertThat(noTask.status()).isEqualTo(404);
        assertThat(noTask.json().path("message").asText()).contains("reclaim tasks list");
        assertThat(notItsArtifact.status()).isEqualTo(404);
        assertThat(notItsArtifact.json().path("message").asText()).contains("not an artifact of task");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badBody.status()).isEqualTo(400);
        assertThat(f.get("/api/v1/holds").json().path("holds")).isEmpty();
    }
}
