package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code reclaim audit} and {@code reclaim cleanup history show}: who deleted what, when and why, and
 * every task one cleanup run deleted, however many, with the run's trigger, who started it and its
 * settings.
 */
class AuditCommandTest {
    @TempDir
    Path tmp;
    Cli cli;
    final List<String> archived = new ArrayList<>();
    String byHand;

    @BeforeEach
    void fiveArchivedDraftsAndOneTaskDeletedByHand() {
        cli = new Cli(tmp.resolve("home"));
        for (int i = 0; i < 5; i++) {
            String id = cli.run("tasks", "create", "--name", "draft" + i, "--project", "vision").firstLine();
            assertThat(cli.run("tasks", "archive", id).exitCode()).isZero();
            archived.add(id);
        }
        byHand = cli.run("tasks", "create", "--name", "by hand").firstLine();
        assertThat(cli.run("tasks", "delete", byHand).exitCode()).isZero();
    }

    private String runCleanup() {
        Run run = cli.run("cleanup", "--delete-threshold-days", "0", "--output", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return readJson(run.out()).path("id").asText();
    }

    @Test
    void a_run_records_that_the_cli_started_it_and_the_os_user_who_did() {
        String runId = runCleanup();

        Run history = cli.run("cleanup", "history", "--output", "json");

        JsonNode run = readJson(history.out()).get(0);
        assertThat(run.path("id").asText()).isEqualTo(runId);
        assertThat(run.path("trigger").asText()).isEqualTo("cli");
        assertThat(run.path("started_by").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(cli.run("cleanup", "history").out()).contains(runId).contains("TRIGGER").contains("cli");
    }

    @Test
    void history_show_lists_every_task_the_run_deleted_with_its_settings() {
        String runId = runCleanup();

        Run show = cli.run("cleanup", "history", "show", runId);

        assertThat(show.exitCode()).as(show.toString()).isZero();
        assertThat(show.out()).contains("run " + runId).contains("delete_threshold_days").contains("5 deleted");
        archived.forEach(id -> assertThat(show.out()).contains(id));
        assertThat(show.out()).doesNotContain(byHand);
    }

    @Test
    void history_show_pages_through_the_audit_so_no_cap_applies_and_json_lists_each_line() {
        String runId = runCleanup();

        Run show = cli.run("cleanup", "history", "show", runId, "--output", "json");

        JsonNode doc = readJson(show.out());
        assertThat(doc.path("run").path("trigger").asText()).isEqualTo("cli");
        assertThat(doc.path("lines")).hasSize(5);
        List<String> ids = new ArrayList<>();
        doc.path("lines").forEach(l -> ids.add(l.path("task_id").asText()));
        assertThat(ids).containsExactlyInAnyOrderElementsOf(archived);
        doc.path("lines").forEach(l -> assertThat(l.path("run_id").asText()).isEqualTo(runId));
    }

    @Test
    void audit_narrows_by_run_task_and_who_and_streams_every_page() {
        String runId = runCleanup();

        assertThat(lines(cli.run("audit", "--run", runId, "--output", "json"))).hasSize(5);
        assertThat(lines(cli.run("audit", "--task", byHand, "--output", "json"))).singleElement()
                .satisfies(l -> assertThat(l.path("actor").asText()).isEqualTo(System.getProperty("user.name")));
        assertThat(lines(cli.run("audit", "--who", "cleanup-service", "--output", "json"))).hasSize(5);
        assertThat(lines(cli.run("audit", "--since", "1h", "--output", "json"))).hasSize(6);
        assertThat(lines(cli.run("audit", "--since", "2099-01-01T00:00:00Z", "--output", "json"))).isEmpty();

        Run firstTwo = cli.run("audit", "--limit", "2", "--output", "json");
        String cursor = readJson(firstTwo.out()).path("next_cursor").asText();
        assertThat(lines(firstTwo)).hasSize(2);
        assertThat(lines(cli.run("audit", "--limit", "2", "--after", cursor, "--output", "json"))).hasSize(2);
        assertThat(lines(cli.run("audit", "--limit", "2", "--all", "--output", "json"))).hasSize(6);
        assertThat(cli.run("audit", "--limit", "2").err()).contains("--after " + cursor);
    }

    @Test
    void bad_audit_arguments_say_what_to_pass_and_change_nothing() {
        Run since = cli.run("audit", "--since", "last tuesday");
        Run limit = cli.run("audit", "--limit", "0");
        Run after = cli.run("audit", "--after", "nope");
        Run show = cli.run("cleanup", "history", "show", "0123456789abcdef0123456789ab");

        assertThat(since.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(since.err()).contains("7d").contains("ISO-8601");
        assertThat(limit.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(limit.err()).contains("--all");
        assertThat(after.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(after.err()).contains("next_cursor");
        assertThat(show.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(show.err()).contains("cleanup history");
    }

    private static JsonNode lines(Run r) {
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return readJson(r.out()).path("lines");
    }

    private static JsonNode readJson(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }
}
