package dev.reclaim.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No error answer names a Java class, an exception type or a piece of code: many bad requests,
 * each answered 4xx with a message a person can act on.
 */
class NoJavaNamesInErrorsApiTest {
    /** Qualified class names, exception types, code in backticks, and SDK-style "Name(" calls. */
    static final List<Pattern> JAVA_NAMES = List.of(
            Pattern.compile("\\b(java|javax|com|org|dev|sun|jdk|software)\\.[a-z]+\\.[A-Za-z.]+"),
            Pattern.compile("[A-Za-z]*Exception\\b"),
            Pattern.compile("\\b[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:Error|Provider|Constraints|Config)\\b"),
            Pattern.compile("`"),
            Pattern.compile("\\$[A-Z][A-Za-z]*Body\\b"));

    @TempDir
    Path home;
    ServerFixture f;
    String draft;

    @BeforeEach
    void start() {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build());
        draft = f.post("/api/v1/tasks", "{\"name\": \"draft\"}").json().path("id").asText();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    /** Every answer that broke the rule, so one run shows them all. */
    final List<String> violations = new ArrayList<>();

    @AfterEach
    void noViolations() {
        assertThat(violations).isEmpty();
    }

    private void noJavaNames(String what, String text) {
        for (Pattern p : JAVA_NAMES) {
            if (p.matcher(text).find()) {
                violations.add(what + "\n    -> " + text);
                return;
            }
        }
    }

    private void check(String method, String path, String body) {
        ServerFixture.Answer a = f.send(method, path, body);
        String what = method + " " + path + " " + (body == null ? "" : body.length() > 80 ? body.substring(0, 80) + "..." : body);
        if (a.status() < 400 || a.status() > 499 || !a.contentType().startsWith("application/json")
                || a.json().path("message").asText().isBlank()) {
            violations.add(what + "\n    -> not a 4xx JSON error: " + a.status() + " " + a.body());
            return;
        }
        noJavaNames(what, a.body());
    }

    @Test
    void requestBodiesOfTheWrongShapeAreExplainedWithoutJavaNames() {
        String tasks = "/api/v1/tasks";
        List<String> bodies = List.of("[]", "\"text\"", "5", "true", "{\"name\": \"x\"} {}", "{\"name\": \"x\"} trailing",
                "{\"name\": \"x\", \"tags\": \"a\"}", "{\"name\": \"x\", \"tags\": {\"a\": 1}}", "{\"name\": \"x\", \"params\": []}",
                "{\"name\": \"x\", \"params\": {\"a\": [1]}}", "{\"name\": {\"first\": \"x\"}}", "{\"name\": [\"x\"]}",
                "{\"name\": \"x\", \"tags\": [[\"a\"]]}", "{\"name\": \"x\",}", "{\"name\": 'x'}", "{\"name\": \"\\ud800\"}",
                "[" + "[".repeat(2000) + "]".repeat(2000) + "]", "{\"name\": \"x\", \"tags\": [null]}",
                "{\"name\": \"x\", \"params\": {\"a\": null}}", "{\"name\": \"a\", \"name\": \"b\"}", "{\"name\": 5}",
                "{\"name\": \"x\", \"params\": {\"a\": 1.5}}", "{\"na", "{\"name\": \"x\", \"tags\": [\"a\"");
        for (String b : bodies) {
            check("POST", tasks, b);
        }
        check("POST", "/api/v1/jobs", "{\"command\": \"ls\"}");
        check("POST", "/api/v1/jobs", "{\"command\": [\"ls\"], \"wait_for_end\": \"yes\"}");
        check("POST", "/api/v1/jobs", "{\"command\": [\"ls\"], \"wait_for_end\": 1}");
        check("POST", "/api/v1/jobs", "{\"command\": [\"ls\", null]}");
        check("POST", "/api/v1/jobs", "{\"command\": [\"ls\"], \"env\": {\"A\": null}}");
        check("POST", "/api/v1/jobs", "{\"command\": [\"ls\"], \"env\": [\"A=1\"]}");
        check("POST", "/api/v1/jobs/cleanup", "{\"ids\": \"x\"}");
        check("POST", "/api/v1/jobs/cleanup", "{\"ids\": [\"" + draft + "\"], \"force\": \"yes\"}");
        check("POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + draft + "\"], \"force\": 1}");
        check("POST", "/api/v1/tasks/archive", "{\"ids\": [1, 2]}");
        check("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"projects\": [\"a\"]}}");
        check("PUT", "/api/v1/cleanup/settings", "[1]");
        check("POST", "/api/v1/cleanup/preview", "{\"settings\": {\"delete_threshold_days\": [1]}}");
        check("PUT", "/api/v1/tasks/" + draft + "/params", "{\"params\": {\"a\": {\"b\": 1}}}");
        check("POST", "/api/v1/tokens", "{\"name\": [\"x\"], \"role\": \"admin\"}");
        check("POST", "/api/v1/tasks/" + draft + "/status", "{\"status\": [\"completed\"]}");
    }

    @Test
    void badQueryParametersAndIdsAreExplainedWithoutJavaNames() {
        List<String> gets = new ArrayList<>(List.of("/api/v1/tasks?page_size=abc", "/api/v1/tasks?page_size=99999999999999999999",
                "/api/v1/tasks?name=%5B", "/api/v1/tasks?order_by=zz", "/api/v1/tasks?status_changed=%3E%3Dx",
                "/api/v1/tasks?archived_at=99999999999999999999", "/api/v1/tasks?cursor=%00", "/api/v1/tasks?sizes=maybe",
                "/api/v1/jobs?state=x", "/api/v1/jobs?start_time=x", "/api/v1/jobs/abc",
                "/api/v1/jobs/" + draft + "/wait?timeout=x", "/api/v1/jobs/" + draft + "/output?offset=1e3",
                "/api/v1/cleanup/history?limit=x", "/api/v1/tasks/" + draft + "/artifacts/zz/content"));
        for (String g : gets) {
            check("GET", g, null);
        }
    }

    @Test
    void aBodyThatIsNotUtf8IsExplainedWithoutJavaNames() {
        ServerFixture.Answer a = f.sendBody("POST", "/api/v1/tasks",
                HttpRequest.BodyPublishers.ofByteArray(new byte[]{'{', '"', 'n', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'}));
        assertThat(a.status()).isEqualTo(400);
        noJavaNames("invalid UTF-8", a.body());
    }
}
