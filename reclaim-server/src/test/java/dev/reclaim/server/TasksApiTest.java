package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.Artifact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The task catalog routes over real HTTP. */
class TasksApiTest {
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

    private String create(String json) {
        ServerFixture.Answer a = f.post("/api/v1/tasks", json);
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json().path("id").asText();
    }

    @Test
    void aCreatedTaskCanBeReadWholeOrProjected() {
        String id = create("{\"name\": \"exp-1\", \"project\": \"vision\", \"tags\": [\"baseline\"], \"params\": {\"lr\": \"0.1\"}}");

        JsonNode t = f.get("/api/v1/tasks/" + id).json();
        assertThat(t.path("name").asText()).isEqualTo("exp-1");
        assertThat(t.path("status").asText()).isEqualTo("CREATED");
        assertThat(t.path("params").path("lr").asText()).isEqualTo("0.1");
        JsonNode p = f.get("/api/v1/tasks/" + id + "?fields=name").json();
        assertThat(p.fieldNames()).toIterable().containsExactly("id", "name");
    }

    @Test
    void theQueryLanguageFiltersOrdersProjectsAndPages() {
        String a = create("{\"name\": \"a\", \"project\": \"vision\", \"tags\": [\"x\"]}");
        String b = create("{\"name\": \"b\", \"project\": \"vision\"}");
        create("{\"name\": \"c\", \"project\": \"nlp\", \"status\": \"completed\"}");
        f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + b + "\"]}");

        assertThat(names(f.get("/api/v1/tasks?project=vision&order_by=-name").json())).containsExactly("b", "a");
        assertThat(names(f.get("/api/v1/tasks?status=completed").json())).containsExactly("c");
        assertThat(names(f.get("/api/v1/tasks?tag=x").json())).containsExactly("a");
        assertThat(names(f.get("/api/v1/tasks?system_tag=archived").json())).containsExactly("b");
        assertThat(names(f.get("/api/v1/tasks?system_tag=-archived&project=vision").json())).containsExactly("a");
        assertThat(names(f.get("/api/v1/tasks?archived_at=%3E%3D2000-01-01T00:00:00Z").json())).containsExactly("b");
        assertThat(names(f.get("/api/v1/tasks?status_changed=%3C2000-01-01T00:00:00Z").json())).isEmpty();
        // type=training leaves out the pre-loaded Cleanup Service task (type service) every store has.
        assertThat(names(f.get("/api/v1/tasks?type=training&order_by=name&page=1&page_size=2").json())).containsExactly("c");
        JsonNode projected = f.get("/api/v1/tasks?id=" + a + "&fields=project,status").json().path("tasks").get(0);
        assertThat(projected.fieldNames()).toIterable().containsExactly("id", "project", "status");

        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = f.get("/api/v1/tasks?type=training&order_by=name&page_size=1" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            all.addAll(names(page));
            cursor = page.path("next_cursor").isMissingNode() || page.path("next_cursor").isNull() ? null
                    : page.path("next_cursor").asText();
        } while (cursor != null);
        assertThat(all).containsExactly("a", "b", "c");
    }

    @Test
    void tasksSortBySizeAndASummaryAddsUpTheWholeFilter() throws IOException {
        String big = create("{\"name\": \"big\", \"project\": \"space\"}");
        String small = create("{\"name\": \"small\", \"project\": \"space\"}");
        create("{\"name\": \"empty\", \"project\": \"space\"}");
        String elsewhere = create("{\"name\": \"elsewhere\", \"project\": \"other\"}");
        f.reclaim.tasks().addArtifact(big, ArtifactKind.MODEL, "big.bin", Files.write(home.resolve("big.bin"), new byte[3000]));
        f.reclaim.tasks().addArtifact(small, ArtifactKind.ARTIFACT, "s.txt", Files.write(home.resolve("s.txt"), new byte[20]));
        f.reclaim.tasks().addArtifact(elsewhere, ArtifactKind.ARTIFACT, "e.txt", Files.write(home.resolve("e.txt"), new byte[7]));

        JsonNode largestFirst = f.get("/api/v1/tasks?project=space&order_by=-size&sizes=true").json();
        assertThat(names(largestFirst)).containsExactly("big", "small", "empty");
        assertThat(largestFirst.path("tasks").findValuesAsText("size_bytes")).containsExactly("3000", "20", "0");
        assertThat(names(f.get("/api/v1/tasks?project=space&order_by=size").json())).containsExactly("empty", "small", "big");

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = f.get("/api/v1/tasks?project=space&order_by=-size&page_size=1"
                    + (cursor == null ? "" : "&cursor=" + cursor)).json();
            paged.addAll(names(page));
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
        } while (cursor != null);
        assertThat(paged).containsExactly("big", "small", "empty");

        JsonNode summary = f.get("/api/v1/tasks/summary?project=space").json();
        assertThat(summary.path("count").asLong()).isEqualTo(3);
        assertThat(summary.path("bytes").asLong()).isEqualTo(3020);
        JsonNode two = f.get("/api/v1/tasks/summary?project=space&project=other&name=%5Es").json();
        assertThat(two.path("count").asLong()).isEqualTo(1);
        assertThat(two.path("bytes").asLong()).isEqualTo(20);
    }

    @Test
    void badSizeQueriesSayWhatIsWrongAndWhatToWriteInstead() {
        ServerFixture.Answer unknown = f.get("/api/v1/tasks?order_by=bytes");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("unknown sort field 'bytes'").contains("sortable fields: id, name")
                .contains("size");
        ServerFixture.Answer notSortable = f.get("/api/v1/tasks?order_by=tags");
        assertThat(notSortable.status()).isEqualTo(400);
        assertThat(notSortable.body()).contains("cannot order by 'tags'").contains("archived_at, size");
        ServerFixture.Answer shown = f.get("/api/v1/tasks?fields=name,size");
        assertThat(shown.status()).isEqualTo(400);
        assertThat(shown.body()).contains("'size' can only order tasks").contains("known fields: id, name");
        ServerFixture.Answer paging = f.get("/api/v1/tasks/summary?project=p&order_by=-size");
        assertThat(paging.status()).isEqualTo(400);
        assertThat(paging.body()).contains("unknown query parameter 'order_by'").contains("known: id, name, project");
        ServerFixture.Answer badStatus = f.get("/api/v1/tasks/summary?status=sleeping");
        assertThat(badStatus.status()).isEqualTo(400);
    }

    private static List<String> names(JsonNode page) {
        return page.path("tasks").findValuesAsText("name");
    }

    @Test
    void statusArchiveUnarchiveAndPublishChangeTheTask() {
        String id = create("{\"name\": \"m\"}");
        assertThat(f.post("/api/v1/tasks/" + id + "/status", "{\"status\": \"completed\"}").json().path("status").asText())
                .isEqualTo("COMPLETED");
        assertThat(f.post("/api/v1/tasks/" + id + "/status", "{\"status\": \"running\"}").status()).isEqualTo(400);
        assertThat(f.post("/api/v1/tasks/" + id + "/publish", null).json().path("status").asText()).isEqualTo("PUBLISHED");

        JsonNode archived = f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + id + "\"]}").json();
        assertThat(archived.path("results").get(0).path("changed").asBoolean()).isTrue();
        assertThat(f.get("/api/v1/tasks/" + id).json().path("system_tags").toString()).contains("archived");
        f.post("/api/v1/tasks/unarchive", "{\"ids\": [\"" + id + "\"]}");
        assertThat(f.get("/api/v1/tasks/" + id).json().path("system_tags")).isEmpty();
    }

    @Test
    void deletingAPublishedTaskNeedsForceAndThenRemovesIt() {
        String id = create("{\"name\": \"p\", \"status\": \"completed\"}");
        f.post("/api/v1/tasks/" + id + "/publish", null);

        ServerFixture.Answer refused = f.delete("/api/v1/tasks/" + id);
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.error()).isEqualTo("needs_force");
        assertThat(refused.json().path("message").asText()).contains("force");
        assertThat(f.get("/api/v1/tasks/" + id).status()).isEqualTo(200);

        ServerFixture.Answer deleted = f.delete("/api/v1/tasks/" + id + "?force=true&return_file_urls=true");
        assertThat(deleted.status()).as(deleted.body()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        assertThat(f.get("/api/v1/tasks/" + id).status()).isEqualTo(404);
        assertThat(f.delete("/api/v1/tasks/" + id).status()).isEqualTo(404);
    }

    @Test
    void deleteManyDeletesWhatItMayAndReportsWhatNeedsForce() {
        String draft = create("{\"name\": \"d\"}");
        String done = create("{\"name\": \"c\", \"status\": \"completed\"}");

        ServerFixture.Answer r = f.post("/api/v1/tasks/delete", "{\"ids\": [\"" + draft + "\", \"" + done + "\"]}");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("succeeded").findValuesAsText("task_id")).containsExactly(draft);
        assertThat(r.json().path("failed").findValuesAsText("task_id")).containsExactly(done);

        ServerFixture.Answer forced = f.post("/api/v1/tasks/delete", "{\"ids\": [\"" + done + "\"], \"force\": true, "
                + "\"keep_output_models\": true}");
        assertThat(forced.status()).as(forced.body()).isEqualTo(200);
        // Only the pre-loaded Cleanup Service task is left.
        assertThat(f.get("/api/v1/tasks").json().path("tasks").findValuesAsText("id")).containsExactly(ServiceTask.ID);
    }

    @Test
    void artifactsAreListedAndStreamedByteForByte() throws IOException {
        String id = create("{\"name\": \"with-model\"}");
        byte[] content = new byte[300_000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 31);
        }
        Path file = Files.write(home.resolve("best.ckpt"), content);
        Artifact model = f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "best.ckpt", file);

        JsonNode list = f.get("/api/v1/tasks/" + id + "/artifacts").json().path("artifacts");
        assertThat(list).hasSize(1);
        assertThat(list.get(0).path("size_bytes").asLong()).isEqualTo(content.length);
        assertThat(f.download(list.get(0).path("download").asText())).isEqualTo(content);
        assertThat(f.get("/api/v1/tasks/" + id + "/artifacts/" + "0".repeat(28) + "/content").status()).isEqualTo(404);
        assertThat(model.id()).isEqualTo(list.get(0).path("id").asText());
    }

    /** A task's artifacts come a page at a time (page_size at most 500) with a cursor to the next page. */
    @Test
    void aTasksArtifactsArePagedWithACursorAndACappedPageSize() throws IOException {
        String id = create("{\"name\": \"many\"}");
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            added.add(f.reclaim.tasks().addArtifact(id, ArtifactKind.ARTIFACT, "a" + i, Files.write(home.resolve("a" + i),
                    new byte[] {(byte) i})).id());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = f.get("/api/v1/tasks/" + id + "/artifacts?page_size=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
            assertThat(page.path("artifacts").size()).isLessThanOrEqualTo(2);
            page.path("artifacts").forEach(x -> seen.add(x.path("id").asText()));
            cursor = page.path("next_cursor").isTextual() ? page.path("next_cursor").asText() : null;
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(added.stream().sorted().toList());
        assertThat(f.get("/api/v1/tasks/" + id + "/artifacts?page_size=501").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/tasks/" + id + "/artifacts?cursor=not-an-id").status()).isEqualTo(400);
    }

    @Test
    void parametersOfADraftCanBeReadAndMerged() {
        String id = create("{\"name\": \"p\", \"params\": {\"a\": \"1\"}}");
        ServerFixture.Answer set = f.put("/api/v1/tasks/" + id + "/params", "{\"params\": {\"b\": \"2\"}}");
        assertThat(set.status()).as(set.body()).isEqualTo(200);
        JsonNode params = f.get("/api/v1/tasks/" + id + "/params").json().path("params");
        assertThat(params.path("a").asText()).isEqualTo("1");
        assertThat(params.path("b").asText()).isEqualTo("2");
    }
}
