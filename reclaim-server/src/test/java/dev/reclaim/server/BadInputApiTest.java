package dev.reclaim.server;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.query.TaskQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input is answered 4xx with {@code {error, message}} and changes nothing: every task record,
 * every artifact record, the stored bytes and the cleanup settings are compared before and after.
 */
class BadInputApiTest {
    @TempDir
    Path home;
    ServerFixture f;
    String draft;
    String completed;

    @BeforeEach
    void start() throws IOException {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
        draft = f.post("/api/v1/tasks", "{\"name\": \"draft\"}").json().path("id").asText();
        completed = f.post("/api/v1/tasks", "{\"name\": \"done\", \"status\": \"completed\"}").json().path("id").asText();
        f.reclaim.tasks().addArtifact(draft, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m.bin"), new byte[] {1, 2, 3}));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Every record the store has, and the bytes of every stored object. */
    private String snapshot() throws IOException {
        StringBuilder b = new StringBuilder();
        f.reclaim.taskStore().query(TaskQuery.builder().pageSize(500).build()).items().forEach(t -> {
            b.append(t).append('\n');
            f.reclaim.taskStore().artifactsOf(t.id()).forEach(a -> b.append(a).append('\n'));
        });
        try (var files = Files.walk(home.resolve("artifacts"))) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                b.append(p).append(Arrays.toString(Files.readAllBytes(p))).append('\n');
            }
        }
        b.append(f.reclaim.cleanup().history(10)).append(f.get("/api/v1/cleanup/settings").body());
        return b.toString();
    }

    private void refused(int status, String method, String path, String body) {
        ServerFixture.Answer a = f.send(method, path, body);
        assertThat(a.status()).as(method + " " + path + " -> " + a.body()).isEqualTo(status);
        assertThat(a.contentType()).startsWith("application/json");
        assertThat(a.json().path("error").asText()).isNotEmpty();
        assertThat(a.json().path("message").asText()).isNotEmpty();
    }

    @Test
    void malformedQueriesAreRefusedAndChangeNothing() throws IOException {
        String before = snapshot();
        for (String q : List.of("status_changed=%3C%3Cyesterday", "archived_at=soon", "status=sleepy", "fields=colour",
                "order_by=tags", "page_size=501", "page_size=0", "page=-1", "page=x", "name=(", "page=1&cursor=abc",
                "cursor=not-a-cursor", "colour=red", "parent=&x=1", "page_size=1&page_size=2")) {
            refused(400, "GET", "/api/v1/tasks?" + q, null);
        }
        refused(400, "GET", "/api/v1/tasks/" + draft + "?fields=colour", null);
        refused(400, "GET", "/api/v1/cleanup/history?limit=100000", null);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badIdsAreRefusedBeforeAnythingIsLookedUpOrChanged() throws IOException {
        String before = snapshot();
        refused(400, "GET", "/api/v1/tasks/DROP%20TABLE", null);
        refused(400, "DELETE", "/api/v1/tasks/..%2F..%2Fetc", null);
        refused(400, "POST", "/api/v1/tasks/archive", "{\"ids\": [\"" + draft + "\", \"nope\"]}");
        refused(400, "POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + draft + "\", \"nope\"], \"force\": true}");
        refused(400, "POST", "/api/v1/jobs/cleanup", "{\"ids\": [\"" + draft + "\", \"nope\"], \"force\": true}");
        refused(400, "GET", "/api/v1/tasks/" + draft + "/artifacts/bad/content", null);
        refused(404, "GET", "/api/v1/tasks/" + "f".repeat(28), null);
        refused(404, "GET", "/api/v1/no/such/route", null);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void badJsonBodiesAreRefusedAndChangeNothing() throws IOException {
        String before = snapshot();
        refused(400, "POST", "/api/v1/tasks", "{\"name\": \"x\"");
        refused(400, "POST", "/api/v1/tasks", "[1, 2]");
        refused(400, "POST", "/api/v1/tasks", "{\"name\": \"x\", \"colour\": \"red\"}");
        refused(400, "POST", "/api/v1/tasks", "{\"name\": \"x\", \"tags\": \"not-a-list\"}");
        refused(400, "POST", "/api/v1/tasks", "{\"name\": \"x\"} trailing");
        refused(400, "POST", "/api/v1/tasks", "null");
        refused(400, "POST", "/api/v1/tasks", "");
        refused(400, "POST", "/api/v1/tasks", "{\"name\": \"x\", \"status\": \"running\"}");
        refused(400, "POST", "/api/v1/tasks/" + draft + "/status", "{\"status\": \"bogus\"}");
        refused(400, "POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + completed + "\"], \"force\": \"yes please\"}");
        refused(400, "PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"colour\": \"red\"}}");
        refused(400, "PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"-3\"}}");
        refused(400, "PUT", "/api/v1/tasks/" + draft + "/params", "{\"params\": {\"a\": {\"nested\": 1}}}");
        refused(400, "POST", "/api/v1/tokens", "{\"name\": \"has space\", \"role\": \"viewer\"}");
        refused(400, "POST", "/api/v1/tokens", "{\"name\": \"ok\", \"role\": \"root\"}");
        refused(413, "POST", "/api/v1/tasks", "{\"name\": \"" + "x".repeat(2_000_000) + "\"}");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.reclaim.taskStore().apiTokens()).isEmpty();
    }

    /**
     * A body is read as written or refused: a key given twice (which value would win?), text where a
     * number or true/false belongs, a number or true/false where text belongs, and a body cut off in
     * the middle are 400s naming what is wrong, and change nothing.
     */
    @Test
    void duplicateKeysCoercedScalarsAndCutOffBodiesAreRefusedAndChangeNothing() throws IOException {
        String before = snapshot();
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"a\", \"name\": \"b\"}", "'name'", "more than once");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"a\", \"params\": {\"lr\": \"1\", \"lr\": \"2\"}}", "'lr'",
                "more than once");
        refusedSaying("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"7\", "
                + "\"delete_threshold_days\": \"0\"}}", "'delete_threshold_days'", "more than once");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": 5}", "wrong type for 'name'", "expected text", "got a number");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": true}", "wrong type for 'name'", "expected text", "got true or false");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"tags\": [5]}", "wrong type for 'tags", "expected text");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"params\": {\"lr\": 0.1}}", "wrong type for 'params.lr'",
                "expected text");
        refusedSaying("POST", "/api/v1/jobs", "{\"command\": [\"sleep\", 5]}", "wrong type for 'command", "expected text");
        refusedSaying("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": {\"days\": 7}}}",
                "delete_threshold_days must be a number, true/false or text, not an object");
        refusedSaying("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"force_delete\": null}}",
                "force_delete must be a number, true/false or text, not null");
        refusedSaying("POST", "/api/v1/tasks/" + draft + "/status", "{\"status\": 3}", "wrong type for 'status'");
        refusedSaying("POST", "/api/v1/jobs", "{\"command\": [\"ls\"], \"wait_for_end\": \"true\"}",
                "wrong type for 'wait_for_end'", "expected true or false");
        refusedSaying("POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + completed + "\"], \"force\": 1}",
                "wrong type for 'force'", "expected true or false");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": null}", "name");
        refusedSaying("POST", "/api/v1/tasks/" + draft + "/status", "{\"status\": null}", "status is required");
        for (String cut : List.of("{\"name\": \"x", "{\"name\": \"x\",", "{\"name\": \"x\", \"tags\": [\"a\"", "{\"na")) {
            refusedSaying("POST", "/api/v1/tasks", cut, "ends", "cut off");
        }
        assertThat(snapshot()).isEqualTo(before);
    }

    private void refusedSaying(String method, String path, String body, String... messageParts) {
        refused(400, method, path, body);
        assertThat(f.send(method, path, body).json().path("message").asText()).contains(messageParts);
    }

    @Test
    void namesProjectsTagsAndParametersWithControlCharactersOrOverTheirLimitAre400AndChangeNothing() throws IOException {
        String before = snapshot();
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"exp\\n1\"}", "task name", "U+000A");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"" + "n".repeat(257) + "\"}", "257 characters", "256");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"project\": \"a\\u202Eb\"}", "project", "U+202E");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"tags\": [\"ok\", \"" + "g".repeat(65) + "\"]}", "tag", "64");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"tags\": [null]}", "tag");
        refusedSaying("POST", "/api/v1/tasks", "{\"name\": \"x\", \"params\": {\"a\": null}}", "parameter");
        refusedSaying("PUT", "/api/v1/tasks/" + draft + "/params", "{\"params\": {\"k\\u0000\": \"v\"}}", "parameter name");
        refusedSaying("POST", "/api/v1/jobs", "{\"command\": [\"true\"], \"name\": \"a\\nb\"}", "job name");
        refusedSaying("POST", "/api/v1/jobs", "{\"command\": [\"true\", null]}", "argument 2");
        refusedSaying("POST", "/api/v1/tokens", "{\"name\": \"" + "t".repeat(65) + "\", \"role\": \"viewer\"}", "token name", "64");
        refusedSaying("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"projects\": \"a\\u0000b\"}}", "project", "U+0000");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.reclaim.taskStore().apiTokens()).isEmpty();
    }

    @Test
    void deletingTheCleanupServiceTaskWithoutForceIs409NamingItsSettings() throws IOException {
        String service = ServiceTask.ID;
        String before = snapshot();
        ServerFixture.Answer a = f.delete("/api/v1/tasks/" + service);
        assertThat(a.status()).as(a.body()).isEqualTo(409);
        assertThat(a.json().path("error").asText()).isEqualTo("needs_force");
        assertThat(a.json().path("message").asText()).contains("Cleanup Service").contains("delete_threshold_days=30");
        refused(409, "POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + service + "\"]}");
        assertThat(snapshot()).isEqualTo(before);
        assertThat(f.delete("/api/v1/tasks/" + service + "?force=true").status()).isEqualTo(200);
        assertThat(f.get("/api/v1/cleanup/settings").status()).isEqualTo(200);
    }

    @Test
    void conflictsAreRefusedAndChangeNothing() throws IOException {
        String before = snapshot();
        refused(409, "DELETE", "/api/v1/tasks/" + completed, null);
        refused(400, "POST", "/api/v1/tasks/" + draft + "/publish", null);
        assertThat(snapshot()).isEqualTo(before);
    }
}
