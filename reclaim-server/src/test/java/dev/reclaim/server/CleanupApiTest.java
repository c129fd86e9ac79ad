package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reclaim.cleanup.CleanupService;
import dev.reclaim.Json;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.tokens.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Cleanup Service routes: settings, preview, run, busy, history, and /metrics after a run. */
class CleanupApiTest {
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

    private String archivedDraftWithModel() throws IOException {
        return archivedDraft(null, 1234);
    }

    /** An archived draft of {@code project} (none when null) with one model of {@code size} bytes. */
    private String archivedDraft(String project, int size) throws IOException {
        String body = project == null ? "{\"name\": \"old\"}" : "{\"name\": \"old\", \"project\": \"" + project + "\"}";
        String id = f.post("/api/v1/tasks", body).json().path("id").asText();
        f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "m.bin", Files.write(home.resolve("m-" + id + ".bin"), new byte[size]));
        f.post("/api/v1/tasks/archive", "{\"ids\": [\"" + id + "\"]}");
        return id;
    }

    @Test
    void settingsAreReadAndChangedAllOrNothing() {
        JsonNode s = f.get("/api/v1/cleanup/settings").json();
        assertThat(s.path("settings").path("delete_threshold_days").asText()).isEqualTo("30");
        assertThat(s.path("stored_in").asText()).isEqualTo("task");

        ServerFixture.Answer bad = f.put("/api/v1/cleanup/settings",
                "{\"settings\": {\"delete_threshold_days\": \"7\", \"keep_last\": \"-1\"}}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("keep_last");
        assertThat(f.get("/api/v1/cleanup/settings").json().path("settings").path("delete_threshold_days").asText()).isEqualTo("30");

        ServerFixture.Answer ok = f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"7\"}}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(f.get("/api/v1/cleanup/settings").json().path("settings").path("delete_threshold_days").asText()).isEqualTo("7");

        // a setting is given as the JSON number or boolean it is, or as text
        ServerFixture.Answer typed = f.put("/api/v1/cleanup/settings",
                "{\"settings\": {\"delete_threshold_days\": 2.5, \"force_delete\": true}}");
        assertThat(typed.status()).as(typed.body()).isEqualTo(200);
        JsonNode now = f.get("/api/v1/cleanup/settings").json().path("settings");
        assertThat(now.path("delete_threshold_days").asText()).isEqualTo("2.5");
        assertThat(now.path("force_delete").asText()).isEqualTo("true");
    }

    /** The three rules of the Cleanup page's example, as the {@code rules} setting's JSON text. */
    private static final String EXAMPLE_RULES = """
            [{"name": "best-checkpoints", "kinds": ["model"], "keep_best": {"k": 3, "metric": "val_loss", "direction": "min"}},
             {"name": "debug-samples", "kinds": ["debug"], "delete_artifacts_after": 7},
             {"name": "vision-quota", "projects": ["vision"], "quota": "500GB"}]""";

    /** A settings body: the rules setting is JSON text inside JSON, which Jackson escapes rather than the test. */
    private static String settingsBody(Map<String, Object> settings) throws IOException {
        return Json.mapper().writeValueAsString(Map.of("settings", settings));
    }

    private JsonNode savedRules() throws IOException {
        return Json.mapper().readTree(f.get("/api/v1/cleanup/settings").json().path("settings").path("rules").asText());
    }

    @Test
    void rulesAreSavedAsTheSettingsJsonTextAndReadBackRuleByRule() throws IOException {
        assertThat(savedRules()).isEmpty(); // none until an admin writes some

        ServerFixture.Answer ok = f.put("/api/v1/cleanup/settings", settingsBody(Map.of("rules", EXAMPLE_RULES)));

        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        JsonNode rules = savedRules();
        assertThat(rules.findValuesAsText("name")).containsExactly("best-checkpoints", "debug-samples", "vision-quota");
        assertThat(rules.get(0).path("keep_best").path("metric").asText()).isEqualTo("val_loss");
        assertThat(rules.get(1).path("delete_artifacts_after").asDouble()).isEqualTo(7);
        // the server writes rules back in their one form: kinds by their names, sizes in bytes
        assertThat(rules.get(1).path("kinds").get(0).asText()).isEqualTo("debug_sample");
        assertThat(rules.get(2).path("quota").asLong()).isEqualTo(500_000_000_000L);
        // the PUT's own answer is the settings as saved, rules included
        assertThat(ok.json().path("settings").path("rules").asText()).contains("best-checkpoints");
    }

    @Test
    void aBadRuleIsRefusedNamingTheRuleAndKeyAndChangesNoSetting() throws IOException {
        f.put("/api/v1/cleanup/settings", settingsBody(Map.of("rules", EXAMPLE_RULES)));

        ServerFixture.Answer bad = f.put("/api/v1/cleanup/settings", settingsBody(Map.of("delete_threshold_days", 7,
                "rules", "[{\"name\": \"old-logs\", \"kinds\": [\"log\"], \"delete_after\": 7}]")));

        assertThat(bad.status()).as(bad.body()).isEqualTo(400);
        assertThat(bad.json().path("message").asText()).contains("rules[0] (old-logs)").contains("unknown key 'delete_after'");
        JsonNode now = f.get("/api/v1/cleanup/settings").json().path("settings");
        assertThat(now.path("delete_threshold_days").asText()).isEqualTo("30"); // all or nothing
        assertThat(savedRules().findValuesAsText("name")).containsExactly("best-checkpoints", "debug-samples", "vision-quota");
    }

    @Test
    void aPreviewWithANamedRuleGroupsWhatItDeletesUnderThatRulesName() throws IOException {
        // a live task with 5 checkpoints: keep_best keeps the 3 with the lowest val_loss, deletes the other 2
        String id = f.post("/api/v1/tasks", "{\"name\": \"train\", \"project\": \"vision\"}").json().path("id").asText();
        for (int i = 0; i < 5; i++) {
            Artifact a = f.reclaim.tasks().addArtifact(id, ArtifactKind.MODEL, "ckpt-" + i + ".bin",
                    Files.write(home.resolve("ckpt-" + i + ".bin"), new byte[100 + i]));
            f.reclaim.tasks().setArtifactMetrics(id, a.id(), Map.of("val_loss", 1.0 - i * 0.1));
        }

        ServerFixture.Answer p = f.post("/api/v1/cleanup/preview", settingsBody(Map.of("rules", """
                [{"name": "best-checkpoints", "kinds": ["model"], "keep_best": {"k": 3, "metric": "val_loss", "direction": "min"}}]""")));

        assertThat(p.status()).as(p.body()).isEqualTo(200);
        JsonNode groups = p.json().path("groups");
        assertThat(groups.findValuesAsText("rule")).containsExactly("best-checkpoints");
        JsonNode g = groups.get(0);
        assertThat(g.path("project").asText()).isEqualTo("vision");
        // the two worst: ckpt-0 (1.0) and ckpt-1 (0.9)
        assertThat(g.path("objects").asLong()).isEqualTo(2);
        assertThat(g.path("bytes").asLong()).isEqualTo(100 + 101);
        assertThat(p.json().path("items").get(0).path("rule").asText()).startsWith("rule best-checkpoints: 2 model");
        assertThat(f.reclaim.tasks().liveArtifacts(id)).hasSize(5); // a preview deletes nothing
    }

    @Test
    void aPreviewListsEachTaskWithItsRuleAndBytesAndDeletesNothing() throws IOException {
        String id = archivedDraftWithModel();

        ServerFixture.Answer p = f.post("/api/v1/cleanup/preview", "{\"settings\": {\"delete_threshold_days\": \"0\"}}");

        assertThat(p.status()).as(p.body()).isEqualTo(200);
        JsonNode run = p.json();
        assertThat(run.path("dry_run").asBoolean()).isTrue();
        assertThat(run.path("bytes").asLong()).isEqualTo(1234);
        JsonNode item = run.path("items").get(0);
        assertThat(item.path("task_id").asText()).isEqualTo(id);
        assertThat(item.path("outcome").asText()).isEqualTo("WOULD_DELETE");
        assertThat(item.path("rule").asText()).contains("archived");
        assertThat(f.get("/api/v1/tasks/" + id).status()).isEqualTo(200);
    }

    @Test
    void runNowDeletesRecordsHistoryAndCountsInMetrics() throws IOException {
        String id = archivedDraftWithModel();
        f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": \"0\"}}");

        ServerFixture.Answer run = f.post("/api/v1/cleanup/run", null);

        assertThat(run.status()).as(run.body()).isEqualTo(200);
        assertThat(run.json().path("deleted").asLong()).isEqualTo(1);
        assertThat(f.get("/api/v1/tasks/" + id).status()).isEqualTo(404);
        assertThat(f.get("/api/v1/cleanup/history?limit=5").json().path("runs").findValuesAsText("id"))
                .containsExactly(run.json().path("id").asText());
        ServerFixture.Answer metrics = f.get("/metrics");
        assertThat(metrics.contentType()).startsWith("text/plain");
        assertThat(metrics.body()).contains("reclaim_cleanup_tasks_total").contains("reclaim_http_requests_seconds_count");
    }

    @Test
    void aRunWhileAnotherHoldsTheLeaseIsABusyConflictNamingTheHolder() {
        Instant now = f.reclaim.clock().instant();
        f.reclaim.taskStore().tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(120));

        ServerFixture.Answer busy = f.post("/api/v1/cleanup/run", null);

        assertThat(busy.status()).isEqualTo(409);
        assertThat(busy.error()).isEqualTo("busy");
        assertThat(busy.json().path("holder").asText()).isEqualTo("other-process");
        assertThat(f.get("/api/v1/cleanup/history").json().path("runs")).isEmpty();
    }

    @Test
    void theBackgroundServiceRunsAndStopsWithTheServer(@TempDir Path other) {
        ServerFixture g = ServerFixture.start(other, ServerSettings.builder().port(0).workerSlots(0).cleanupService(true).build());
        try {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> !g.reclaim.cleanup().history(1).isEmpty());
            assertThat(g.server.cleanupServiceRunning()).isTrue();
        } finally {
            g.close();
        }
        assertThat(g.server.cleanupServiceRunning()).isFalse();
    }

    /** The run history comes at most 100 runs a page (each carries up to 1,000 lines) with a cursor to the next. */
    @Test
    void theHistoryIsPagedWithACursorAndACappedLimit() {
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ServerFixture.Answer run = f.post("/api/v1/cleanup/run", null);
            assertThat(run.status()).as(run.body()).isEqualTo(200);
            runs.add(0, run.json().path("id").asText());
        }
        JsonNode first = f.get("/api/v1/cleanup/history?limit=2").json();
        assertThat(first.path("runs").findValuesAsText("id")).containsExactly(runs.get(0), runs.get(1));
        String cursor = first.path("next_cursor").asText();
        JsonNode second = f.get("/api/v1/cleanup/history?limit=2&cursor=" + cursor).json();
        assertThat(second.path("runs").findValuesAsText("id")).containsExactly(runs.get(2));
        assertThat(second.path("next_cursor").isTextual()).isFalse();
        assertThat(f.get("/api/v1/cleanup/history?limit=101").status()).isEqualTo(400);
        assertThat(f.get("/api/v1/cleanup/history?cursor=nope").status()).isEqualTo(400);
    }

    @Test
    void aPreviewGroupsWhatWouldBeDeletedByProjectAndRuleAndTheGroupsAddUpToItsTotals() throws IOException {
        archivedDraft("vision", 100);
        archivedDraft("vision", 200);
        archivedDraft("speech", 1000);

        ServerFixture.Answer p = f.post("/api/v1/cleanup/preview", "{\"settings\": {\"delete_threshold_days\": 0}}");

        assertThat(p.status()).as(p.body()).isEqualTo(200);
        JsonNode preview = p.json();
        JsonNode groups = preview.path("groups");
        assertThat(groups.findValuesAsText("project")).containsExactly("speech", "vision"); // most bytes first
        assertThat(groups.findValuesAsText("rule")).containsOnly("default");
        assertThat(groups.get(1).path("tasks").asLong()).isEqualTo(2);
        assertThat(groups.get(1).path("bytes").asLong()).isEqualTo(300);
        long tasks = 0;
        long objects = 0;
        long bytes = 0;
        for (JsonNode g : groups) {
            tasks += g.path("tasks").asLong();
            objects += g.path("objects").asLong();
            bytes += g.path("bytes").asLong();
        }
        assertThat(tasks).isEqualTo(preview.path("deleted").asLong()).isEqualTo(3);
        assertThat(objects).isEqualTo(preview.path("objects").asLong()).isEqualTo(3);
        assertThat(bytes).isEqualTo(preview.path("bytes").asLong()).isEqualTo(1300);
    }

    @Test
    void theProgressIsIdleBeforeAnyRunAndAfterARunItHoldsTheRunsFigures() throws IOException {
        JsonNode idle = f.get("/api/v1/cleanup/progress").json();
        assertThat(idle.path("phase").asText()).isEqualTo("IDLE");
        assertThat(idle.path("run_id").isMissingNode()).isTrue();
        for (int i = 0; i < 5; i++) {
            archivedDraft("p" + i % 2, 10);
        }
        // two tasks a page: the progress is fed page by page
        f.put("/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": 0, \"page_size\": 2}}");

        JsonNode run = f.post("/api/v1/cleanup/run", null).json();

        JsonNode done = f.get("/api/v1/cleanup/progress").json();
        assertThat(done.path("phase").asText()).isEqualTo("DONE");
        assertThat(done.path("run_id").asText()).isEqualTo(run.path("id").asText());
        assertThat(done.path("candidates").asLong()).isEqualTo(5);
        assertThat(done.path("candidates_complete").asBoolean()).isTrue();
        assertThat(done.path("done").asLong()).isEqualTo(5);
        assertThat(done.path("deleted").asLong()).isEqualTo(run.path("deleted").asLong()).isEqualTo(5);
        assertThat(done.path("bytes").asLong()).isEqualTo(run.path("bytes").asLong()).isEqualTo(50);
        assertThat(done.path("started_at").asText()).isNotEmpty();
        assertThat(done.path("ended_at").asText()).isNotEmpty();
    }

    @Test
    void aBusyRunLeavesTheProgressOfTheRunBefore() {
        String first = f.post("/api/v1/cleanup/run", null).json().path("id").asText();
        Instant now = f.reclaim.clock().instant();
        f.reclaim.taskStore().tryAcquireLease(CleanupService.LEASE, "other-process", now, now.plusSeconds(120));

        assertThat(f.post("/api/v1/cleanup/run", null).status()).isEqualTo(409);

        JsonNode progress = f.get("/api/v1/cleanup/progress").json();
        assertThat(progress.path("phase").asText()).isEqualTo("DONE");
        assertThat(progress.path("run_id").asText()).isEqualTo(first);
    }

    @Test
    void aViewerReadsTheProgressButCannotRunOrPreview() {
        String viewer = f.server.tokens().create("v", Role.VIEWER).token();
        f.token = viewer;

        assertThat(f.get("/api/v1/cleanup/progress").status()).isEqualTo(200);
        ServerFixture.Answer run = f.post("/api/v1/cleanup/run", null);
        assertThat(run.status()).isEqualTo(403);
        assertThat(run.json().path("message").asText()).contains("operator");
        assertThat(f.post("/api/v1/cleanup/preview", null).status()).isEqualTo(403);
        assertThat(f.get("/api/v1/cleanup/progress").json().path("phase").asText()).isEqualTo("IDLE");
    }
}
