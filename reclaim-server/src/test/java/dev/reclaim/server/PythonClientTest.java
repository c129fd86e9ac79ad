package dev.reclaim.server;

import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Python client ({@code clients/python}) against a real server: a SQLite file and a local
 * artifact folder in a temporary home, real workers running real commands, an admin token. The
 * client's own unittest suite runs as a child process, told the server by {@code RECLAIM_URL} and
 * {@code RECLAIM_TOKEN}; this test fails with its output when any of its tests fails.
 *
 * <p>The suite records every request the client sends ({@code RECLAIM_RECORD_CALLS}: method,
 * path, query parameter names, body keys); each must be a route of the server's OpenAPI document
 * with those parameters and body properties, so the client cannot drift from the server.
 *
 * <p>Without {@code python3} (3.10 or newer) the test is skipped, or fails when
 * {@code RECLAIM_REQUIRE_PYTHON=1} (CI sets it).
 */
class PythonClientTest {
    /** Longest the whole Python suite may take; it normally takes well under a minute. */
    private static final long SUITE_MINUTES = 10;
    private static final Pattern VERSION = Pattern.compile("Python (\\d+)\\.(\\d+)");
    private static final Pattern RAN = Pattern.compile("^Ran (\\d+) tests? in ", Pattern.MULTILINE);

    @TempDir
    Path home;
    @TempDir
    Path scratch;

    @Test
    void thePythonClientSuitePassesAgainstARealServer() throws Exception {
        Path root = repoRoot();
        requirePython();
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(2).build())) {
            String token = f.server.tokens().create("python-client-tests", Role.ADMIN).token();
            Path log = scratch.resolve("unittest.log");
            ProcessBuilder pb = new ProcessBuilder("python3", "-m", "unittest", "discover", "-s", "clients/python/tests", "-v")
                    .directory(root.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
            Map<String, String> env = pb.environment();
            env.put("RECLAIM_URL", "http://127.0.0.1:" + f.server.port());
            env.put("RECLAIM_TOKEN", token);
            env.put("PYTHONPATH", root.resolve("clients/python").toString());
            env.put("RECLAIM_REQUIRE_SERVER", "1"); // the suite fails, never skips, without a server
            Path calls = scratch.resolve("calls.jsonl");
            env.put("RECLAIM_RECORD_CALLS", calls.toString());
            env.put("RECLAIM_TEST_ROOT", home.resolve("artifacts").toRealPath().toString());
            env.put("PYTHONDONTWRITEBYTECODE", "1"); // no __pycache__ folders in the source tree
            env.put("PYTHONUNBUFFERED", "1");
            Process p = pb.start();
            boolean ended = p.waitFor(SUITE_MINUTES, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            System.out.println(output); // the suite's own report, in the Maven log
            assertThat(ended).as("the Python suite did not end within %d minutes; its output:%n%s", SUITE_MINUTES, output)
                    .isTrue();
            assertThat(p.exitValue()).as("python3 -m unittest failed; its output:%n%s", output).isZero();
            Matcher ran = RAN.matcher(output);
            assertThat(ran.find() && Integer.parseInt(ran.group(1)) > 0).as("the Python suite ran no test:%n%s", output).isTrue();
            List<String> lines = Files.readAllLines(calls, StandardCharsets.UTF_8);
            assertThat(lines).as("the suite's recorded calls").isNotEmpty();
            assertThat(undeclaredCalls(f, lines)).as("client calls the OpenAPI document does not declare").isEmpty();
        }
    }

    @Test
    void theCallCheckCatchesARouteAParameterAndABodyKeyTheDocumentDoesNotDeclare() throws Exception {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            String id = "0".repeat(28);
            assertThat(undeclaredCalls(f, List.of(
                    "{\"method\": \"POST\", \"path\": \"/api/v1/tasks/batch\", \"query\": [], "
                            + "\"body\": [\"tasks\", \"tasks[].name\", \"tasks[].params\"], \"bytes\": false}",
                    "{\"method\": \"PUT\", \"path\": \"/api/v1/tasks/" + id + "/artifacts\", \"query\": [\"kind\", \"name\"], "
                            + "\"body\": [], \"bytes\": true}"))).isEmpty();
            assertThat(undeclaredCalls(f, List.of(
                    "{\"method\": \"POST\", \"path\": \"/api/v1/tasks/batch\", \"query\": [\"dry\"], "
                            + "\"body\": [\"tasks[].nme\"], \"bytes\": false}",
                    "{\"method\": \"PATCH\", \"path\": \"/api/v1/tasks/" + id + "\", \"query\": [], \"body\": [], \"bytes\": false}",
                    "{\"method\": \"POST\", \"path\": \"/api/v1/tasks\", \"query\": [], \"body\": [], \"bytes\": true}")))
                    .hasSize(4).anySatisfy(p -> assertThat(p).contains("'dry'"))
                    .anySatisfy(p -> assertThat(p).contains("'tasks[].nme'"))
                    .anySatisfy(p -> assertThat(p).contains("no such route"))
                    .anySatisfy(p -> assertThat(p).contains("raw bytes"));
        }
    }

    /**
     * What is wrong with each recorded call, checked against the server's OpenAPI document: its
     * method and path match a route (a literal segment before a parameter), its query parameters are
     * the route's, a JSON body's keys (and the keys of objects in its lists) are properties of the
     * route's request schema, and raw bytes go only to a route that streams them.
     */
    static List<String> undeclaredCalls(ServerFixture f, List<String> lines) throws IOException {
        JsonNode doc = f.get("/openapi.json").json();
        JsonNode schemas = doc.path("components").path("schemas");
        Set<String> problems = new TreeSet<>();
        for (String line : lines) {
            JsonNode call = ServerFixture.MAPPER.readTree(line);
            String method = call.path("method").asText();
            String path = call.path("path").asText();
            Route r = f.server.routes().stream()
                    .filter(x -> x.method().equals(method) && path.matches(x.path().replaceAll("\\{[a-z_]+}", "[^/]+")))
                    .min(Comparator.comparingInt(x -> x.pathParams().size())).orElse(null);
            JsonNode op = r == null ? null : doc.path("paths").path(r.path()).path(method.toLowerCase(Locale.ROOT));
            if (r == null || op.isMissingNode()) {
                problems.add(method + " " + path + ": no such route in the OpenAPI document");
                continue;
            }
            Set<String> declared = new HashSet<>();
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("query")) {
                    declared.add(p.path("name").asText());
                }
            });
            call.path("query").forEach(q -> {
                if (!declared.contains(q.asText())) {
                    problems.add(r.key() + ": query parameter '" + q.asText() + "' is not declared");
                }
            });
            JsonNode content = op.path("requestBody").path("content");
            if (call.path("bytes").asBoolean()) {
                if (!content.has(Route.BYTES)) {
                    problems.add(r.key() + ": sends raw bytes, the route declares " + content.fieldNames());
                }
                continue;
            }
            JsonNode schema = schemas.path(content.path("application/json").path("schema").path("$ref").asText()
                    .replace("#/components/schemas/", ""));
            for (JsonNode k : call.path("body")) {
                String[] parts = k.asText().split("\\[]\\.", 2);
                JsonNode property = schema.path("properties").path(parts[0]);
                if (parts.length == 2) {
                    JsonNode item = property.path("items");
                    JsonNode itemSchema = item.has("$ref")
                            ? schemas.path(item.path("$ref").asText().replace("#/components/schemas/", "")) : item;
                    property = itemSchema.path("properties").path(parts[1]);
                }
                if (property.isMissingNode()) {
                    problems.add(r.key() + ": body key '" + k.asText() + "' is not declared");
                }
            }
        }
        return List.copyOf(problems);
    }

    /** The repository root: Maven runs tests in the module folder, one below it. */
    private static Path repoRoot() {
        Path root = Path.of("..").toAbsolutePath().normalize();
        assertThat(root.resolve("clients/python/tests")).as("the Python client's tests, from the module folder %s",
                Path.of("").toAbsolutePath()).isDirectory();
        return root;
    }

    /** python3 3.10 or newer, else a skip (or a failure with RECLAIM_REQUIRE_PYTHON=1). */
    private static void requirePython() throws InterruptedException {
        String why;
        try {
            Process p = new ProcessBuilder(List.of("python3", "--version")).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(30, TimeUnit.SECONDS);
            Matcher m = VERSION.matcher(out);
            if (m.find() && (Integer.parseInt(m.group(1)) > 3 || Integer.parseInt(m.group(1)) == 3 && Integer.parseInt(m.group(2)) >= 10)) {
                return;
            }
            why = "python3 is not 3.10 or newer (" + out + ")";
        } catch (IOException e) {
            why = "python3 is not installed (" + e.getMessage() + ")";
        }
        if ("1".equals(System.getenv("RECLAIM_REQUIRE_PYTHON"))) {
            throw new AssertionError(why + " (RECLAIM_REQUIRE_PYTHON=1: the Python client tests must run)");
        }
        Assumptions.abort(why + "; skipping the Python client tests (set RECLAIM_REQUIRE_PYTHON=1 to fail instead)");
    }
}
