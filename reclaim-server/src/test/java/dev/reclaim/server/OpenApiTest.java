package dev.reclaim.server;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.query.TaskField;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /openapi.json}: it passes a third-party OpenAPI validator,
 * declares a schema for every body and a type for every parameter, and real answers of every route
 * match the schema their route declares.
 */
class OpenApiTest {
    private static final String SCHEMAS = "#/components/schemas/";
    private static final String DOC_URI = "https://reclaim.invalid/openapi.json";

    @TempDir
    Path home;

    @Test
    void theDocumentPassesAnOpenApiValidatorWithoutAMessage() {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            ServerFixture.Answer a = f.get("/openapi.json");
            assertThat(a.status()).isEqualTo(200);

            ParseOptions options = new ParseOptions();
            options.setResolve(true);
            SwaggerParseResult result = new OpenAPIV3Parser().readContents(a.body(), null, options);

            assertThat(result.getMessages()).isEmpty();
            assertThat(result.getOpenAPI()).isNotNull();
            // the validator does report: the same document with a dangling reference and a bad type does not pass
            String broken = a.body().replace("\"$ref\":\"#/components/schemas/ApiError\"",
                    "\"$ref\":\"#/components/schemas/NoSuchSchema\"").replace("\"type\":\"boolean\"", "\"type\":\"bool\"");
            assertThat(new OpenAPIV3Parser().readContents(broken, null, options).getMessages()).isNotEmpty();
            assertThat(result.getOpenAPI().getComponents().getSchemas()).containsKeys("ApiError", "TaskView", "JobPage",
                    "CleanupRun", "TokenCreated");
        }
    }

    @Test
    void everyRouteDeclaresItsBodiesAsSchemasAndTypesItsParameters() {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            JsonNode doc = f.get("/openapi.json").json();
            JsonNode schemas = doc.path("components").path("schemas");
            List<String> problems = new ArrayList<>();
            for (Route r : f.server.routes()) {
                JsonNode op = operation(doc, r);
                JsonNode request = op.path("requestBody").path("content").path("application/json").path("schema");
                if (r.streamsBody()) {
                    JsonNode bytes = op.path("requestBody").path("content").path(Route.BYTES).path("schema");
                    if (!bytes.path("format").asText().equals("binary") || op.path("requestBody").path("content").size() != 1) {
                        problems.add(r.key() + ": a streamed body is not documented as binary " + Route.BYTES);
                    }
                } else if (r.body() != null) {
                    String ref = SCHEMAS + SchemaGenerator.nameOf(r.body());
                    if (!request.path("$ref").asText().equals(ref)) {
                        problems.add(r.key() + ": request body is not " + ref + ": " + op.path("requestBody"));
                    } else if (!schemas.path(SchemaGenerator.nameOf(r.body())).path("properties").isObject()) {
                        problems.add(r.key() + ": request body schema has no properties");
                    } else if (schemas.path(SchemaGenerator.nameOf(r.body())).path("additionalProperties").asBoolean(true)) {
                        problems.add(r.key() + ": request body schema admits unknown properties, which are a 400");
                    }
                    if (op.path("requestBody").path("required").asBoolean() != r.bodyRequired()) {
                        problems.add(r.key() + ": request body required is not " + r.bodyRequired());
                    }
                } else if (!op.path("requestBody").isMissingNode()) {
                    problems.add(r.key() + ": documents a request body it does not read");
                }
                Route.Response ok = r.response();
                JsonNode response = op.path("responses").path(String.valueOf(ok.status())).path("content")
                        .path(ok.mediaType()).path("schema");
                if (ok.mediaType().equals(Route.Response.JSON) && ok.type() != Map.class) {
                    String name = response.path("$ref").asText().replace(SCHEMAS, "");
                    if (!name.equals(SchemaGenerator.nameOf(ok.type())) || !schemas.path(name).path("properties").isObject()) {
                        problems.add(r.key() + ": response " + ok.status() + " is not a named object schema: " + response);
                    }
                } else if (!response.path("type").isTextual()) {
                    problems.add(r.key() + ": response " + ok.status() + " has no schema");
                }
                for (String status : List.of("400", "404", "409", "default")) {
                    if (!op.path("responses").path(status).path("content").path("application/json").path("schema")
                            .path("$ref").asText().equals(SCHEMAS + "ApiError")) {
                        problems.add(r.key() + ": error " + status + " is not an ApiError");
                    }
                }
                for (JsonNode p : op.path("parameters")) {
                    JsonNode s = p.path("schema").path("type").asText().equals("array") ? p.path("schema").path("items")
                            : p.path("schema");
                    if (!Set.of("string", "integer", "boolean").contains(s.path("type").asText())) {
                        problems.add(r.key() + ": parameter " + p.path("name").asText() + " has no type");
                    }
                }
                Set<String> documented = new HashSet<>(op.path("parameters").findValuesAsText("name"));
                Set<String> taken = Stream.concat(r.pathParams().stream(), r.queryParams().stream()).collect(Collectors.toSet());
                if (!documented.equals(taken)) {
                    problems.add(r.key() + ": parameters " + documented + " are not " + taken);
                }
            }
            assertThat(problems).isEmpty();
        }
    }

    @Test
    void theDeclaredTaskViewHasExactlyTheTaskFieldsTheViewMapIsBuiltFrom() {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            JsonNode view = f.get("/openapi.json").json().path("components").path("schemas").path("TaskView");
            List<String> declared = new ArrayList<>();
            view.path("properties").fieldNames().forEachRemaining(declared::add);

            List<String> built = new ArrayList<>(Arrays.stream(TaskField.values()).filter(TaskField::shown)
                    .map(TaskField::apiName).toList());
            built.add("size_bytes"); // added by GET /tasks?sizes=true
            assertThat(declared).containsExactlyInAnyOrderElementsOf(built);
            assertThat(view.path("required")).hasSize(1);
            assertThat(view.path("required").get(0).asText()).isEqualTo("id");
        }
    }

    @Test
    void realAnswersOfEveryRouteMatchTheSchemaTheirRouteDeclares() throws Exception {
        boolean assertions = false;
        assert assertions = true;
        assertThat(assertions).as("assertions on: the server then checks each answer and body type against its row").isTrue();
        try (ServerFixture f = ServerFixture.start(home)) {
            Answers answers = new Answers(f);
            answers.run();

            assertThat(answers.problems).isEmpty();
            // the check does catch drift: an undeclared key, a missing required key, a wrong type
            assertThat(answers.errors("JobState", "{\"id\": \"x\", \"status\": \"QUEUED\", \"extra\": 1}")).isNotEmpty();
            assertThat(answers.errors("JobState", "{\"id\": \"x\"}")).isNotEmpty();
            assertThat(answers.errors("JobState", "{\"id\": \"x\", \"status\": \"LOST\"}")).isNotEmpty();
            assertThat(answers.errors("JobOutput", "{\"id\": \"x\", \"offset\": \"0\", \"next_offset\": 0, "
                    + "\"more\": false, \"text\": \"\"}")).isNotEmpty();
            assertThat(answers.errors("JobState", "{\"id\": \"x\", \"status\": \"QUEUED\"}")).isEmpty();
            List<String> unchecked = f.server.routes().stream().map(Route::key)
                    .filter(k -> !answers.checked.contains(k)).sorted().toList();
            assertThat(unchecked).as("routes without a sample answer here").isEmpty();
        }
    }

    private static JsonNode operation(JsonNode doc, Route r) {
        return doc.path("paths").path(r.path()).path(r.method().toLowerCase(Locale.ROOT));
    }

    /** Calls every route and checks each answer against its route's declared schema (errors: ApiError). */
    private static final class Answers {
        final ServerFixture f;
        final JsonNode doc;
        final SchemaRegistry registry;
        final Set<String> checked = new HashSet<>();
        final List<String> problems = new ArrayList<>();

        Answers(ServerFixture f) {
            this.f = f;
            this.doc = f.get("/openapi.json").json();
            String strict = strict(doc.deepCopy()).toString();
            this.registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30(),
                    b -> b.schemas(Map.of(DOC_URI, strict)));
        }

        /**
         * The document with {@code additionalProperties: false} on every object schema that does not
         * say otherwise, so an answer with a key its schema does not declare fails: the declaration
         * cannot drift from the JSON.
         */
        private static JsonNode strict(JsonNode doc) {
            doc.path("components").path("schemas").forEach(s -> {
                if (s.has("properties") && !s.has("additionalProperties")) {
                    ((ObjectNode) s).put("additionalProperties", false);
                }
            });
            return doc;
        }

        void run() throws Exception {
            check("GET", "/health", null, 200);
            check("GET", "/openapi.json", null, 200);
            check("GET", "/metrics", null, 200);

            // tasks
            String a = check("POST", "/api/v1/tasks", "{\"name\": \"a\", \"project\": \"oa\", \"tags\": [\"x\"], "
                    + "\"params\": {\"lr\": \"0.1\"}}", 201).path("id").asText();
            String b = check("POST", "/api/v1/tasks", "{\"name\": \"b\", \"project\": \"oa\"}", 201).path("id").asText();
            var artifact = f.reclaim.tasks().addArtifact(b, ArtifactKind.MODEL, "m.bin",
                    Files.write(f.home.resolve("m.bin"), new byte[10]));
            check("GET", "/api/v1/tasks?project=oa", null, 200);
            check("GET", "/api/v1/tasks?project=oa&sizes=true&fields=name,status", null, 200);
            check("GET", "/api/v1/tasks?project=oa&sizes=true&order_by=-size", null, 200);
            check("GET", "/api/v1/tasks/summary?project=oa", null, 200);
            check("GET", "/api/v1/tasks/" + a, null, 200);
            check("GET", "/api/v1/tasks/" + a + "?fields=tags", null, 200);
            check("GET", "/api/v1/tasks/" + a + "/params", null, 200);
            check("PUT", "/api/v1/tasks/" + a + "/params", "{\"params\": {\"epochs\": \"3\"}}", 200);
            check("POST", "/api/v1/tasks/" + a + "/status", "{\"status\": \"completed\"}", 200);
            check("POST", "/api/v1/tasks/" + a + "/publish", null, 200);
            check("POST", "/api/v1/tasks/archive", "{\"ids\": [\"" + b + "\"]}", 200);
            check("POST", "/api/v1/tasks/unarchive", "{\"ids\": [\"" + b + "\"]}", 200);
            check("GET", "/api/v1/tasks/" + b + "/artifacts?page_size=1", null, 200);
            check("GET", "/api/v1/tasks/" + b + "/artifacts/" + artifact.id() + "/content", null, 200);
            String uploaded = checkBytes("/api/v1/tasks/" + b + "/artifacts?kind=model&name=up.bin&replace=false",
                    new byte[]{1, 2, 3}, 201).path("id").asText();
            check("POST", "/api/v1/tasks/" + b + "/artifacts/" + uploaded + "/metrics", "{\"metrics\": {\"val_loss\": 0.5}}", 200);
            check("GET", "/api/v1/tasks/" + b + "/artifacts", null, 200);
            // holds and single artifacts
            check("POST", "/api/v1/tasks/" + b + "/hold", "{\"reason\": \"paper\"}", 200);
            check("POST", "/api/v1/tasks/" + b + "/artifacts/" + uploaded + "/hold", null, 200);
            check("GET", "/api/v1/holds?limit=1", null, 200);
            check("DELETE", "/api/v1/tasks/" + b + "/artifacts/" + uploaded, null, 409);
            check("DELETE", "/api/v1/tasks/" + b + "/artifacts/" + uploaded + "/hold?reason=done", null, 200);
            check("DELETE", "/api/v1/tasks/" + b + "/hold", null, 200);
            check("DELETE", "/api/v1/tasks/" + b + "/artifacts/" + uploaded + "?dry_run=true", null, 200);
            check("DELETE", "/api/v1/tasks/" + b + "/artifacts/" + uploaded, null, 200);
            check("POST", "/api/v1/tasks/batch", "{\"tasks\": [{\"name\": \"c\", \"project\": \"oa\"}]}", 201);
            Path object = f.home.resolve("artifacts").toRealPath().resolve("refs/obj.bin");
            Files.createDirectories(object.getParent());
            Files.write(object, new byte[4]);
            check("POST", "/api/v1/tasks/artifacts/batch", "{\"artifacts\": [{\"task_id\": \"" + b + "\", \"ref\": \""
                    + object + "\", \"kind\": \"artifact\", \"name\": \"obj.bin\", \"metrics\": {\"acc\": 1}}]}", 201);
            check("POST", "/api/v1/tasks/batch", "{\"tasks\": [{\"name\": \"ok\"}, {\"name\": \"\"}]}", 400);
            check("DELETE", "/api/v1/tasks/" + a, null, 409); // published: needs force
            check("DELETE", "/api/v1/tasks/" + a + "?force=true&return_file_urls=true", null, 200);
            check("POST", "/api/v1/tasks/delete", "{\"ids\": [\"" + b + "\"], \"force\": true}", 200);

            // jobs
            String job = check("POST", "/api/v1/jobs?timeout=20s", "{\"command\": [\"sh\", \"-c\", \"echo hi; mkdir -p "
                    + "$RECLAIM_OUTPUT/models; printf w > $RECLAIM_OUTPUT/models/m.bin; echo 42 > $RECLAIM_OUTPUT/result.json\"], "
                    + "\"name\": \"train\", \"wait_for_end\": true, \"auto_cleanup\": false}", 201).path("id").asText();
            check("GET", "/api/v1/jobs?state=FINISHED&order=newest", null, 200);
            check("GET", "/api/v1/jobs/" + job, null, 200);
            check("GET", "/api/v1/jobs/" + job + "/wait?timeout=1s", null, 200);
            check("GET", "/api/v1/jobs/" + job + "/output", null, 200);
            check("POST", "/api/v1/jobs/" + job + "/results?console_output=true", null, 200);
            check("POST", "/api/v1/jobs/" + job + "/cleanup?force=true", null, 200);
            String waiting = check("POST", "/api/v1/jobs", "{\"command\": [\"true\"], \"queue\": \"nobody-serves-this\"}", 201)
                    .path("id").asText();
            check("POST", "/api/v1/jobs/" + waiting + "/cancel", null, 200);
            check("POST", "/api/v1/jobs/cleanup", "{\"ids\": [\"" + waiting + "\"], \"force\": true, \"verbose\": false}", 200);
            check("GET", "/api/v1/jobs/" + waiting, null, 404);

            // cleanup
            check("GET", "/api/v1/cleanup/settings", null, 200);
            check("PUT", "/api/v1/cleanup/settings", "{\"settings\": {\"delete_threshold_days\": 7}}", 200);
            check("POST", "/api/v1/cleanup/preview", null, 200);
            check("POST", "/api/v1/cleanup/preview", "{\"settings\": {\"keep_last\": \"2\"}}", 200);
            check("POST", "/api/v1/cleanup/forecast?days=30", null, 200);
            check("GET", "/api/v1/cleanup/progress", null, 200);
            String runId = check("POST", "/api/v1/cleanup/run", null, 200).path("id").asText();
            check("GET", "/api/v1/cleanup/progress", null, 200);
            check("GET", "/api/v1/cleanup/history?limit=5", null, 200);
            check("GET", "/api/v1/cleanup/runs/" + runId, null, 200);
            check("GET", "/api/v1/cleanup/runs/" + runId + "/deleted?limit=10", null, 200);
            check("GET", "/api/v1/audit?limit=1", null, 200);
            check("GET", "/api/v1/usage?by=project,kind,age&top=3", null, 200); // the deletes above: a line and a next_cursor
            check("GET", "/api/v1/usage/history?days=3", null, 200);
            check("GET", "/api/v1/cleanup/service", null, 200);
            check("POST", "/api/v1/cleanup/service/enqueue", null, 200);
            check("POST", "/api/v1/cleanup/service/enqueue", null, 409);
            check("POST", "/api/v1/cleanup/service/stop", null, 200);

            // errors
            check("GET", "/api/v1/tasks/" + "0".repeat(28), null, 404);
            check("GET", "/api/v1/tasks?bogus=1", null, 400);
            check("POST", "/api/v1/tasks", "{\"nme\": \"typo\"}", 400);

            // tokens last: once one exists, requests need it
            check("GET", "/api/v1/tokens", null, 200);
            check("GET", "/api/v1/whoami", null, 200);
            f.token = check("POST", "/api/v1/tokens", "{\"name\": \"ci\", \"role\": \"admin\"}", 201).path("token").asText();
            check("POST", "/api/v1/tokens", "{\"name\": \"other\", \"role\": \"viewer\"}", 201);
            check("GET", "/api/v1/tokens", null, 200);
            check("DELETE", "/api/v1/tokens/other", null, 200);
            String keep = f.token;
            f.token = null;
            check("GET", "/api/v1/tasks", null, 401);
            f.token = keep;
        }

        /** Sends a request, checks the answer's status and body, and returns the body as JSON (or null). */
        JsonNode check(String method, String path, String body, int status) {
            Route r = route(method, path.replaceFirst("\\?.*", ""));
            ServerFixture.Answer a = f.send(method, path, body);
            String what = method + " " + path + " -> " + a.status() + " " + abbreviate(a.body());
            if (a.status() != status) {
                problems.add(what + ": expected status " + status);
                return null;
            }
            Route.Response ok = r.response();
            if (status != ok.status()) {
                return validate(what, "ApiError", a);
            }
            checked.add(r.key());
            if (!a.contentType().startsWith(ok.mediaType())) {
                problems.add(what + ": content type " + a.contentType() + ", declared " + ok.mediaType());
                return null;
            }
            if (!ok.mediaType().equals(Route.Response.JSON) || ok.type() == Map.class) {
                return null;
            }
            String ref = operation(doc, r).path("responses").path(String.valueOf(status)).path("content")
                    .path(Route.Response.JSON).path("schema").path("$ref").asText();
            return validate(what, ref.replace(SCHEMAS, ""), a);
        }

        /** {@link #check} of an upload: {@code bytes} as the body of a PUT. */
        JsonNode checkBytes(String path, byte[] bytes, int status) {
            Route r = route("PUT", path.replaceFirst("\\?.*", ""));
            ServerFixture.Answer a = f.sendBytes("PUT", path, bytes, Map.of());
            String what = "PUT " + path + " -> " + a.status() + " " + abbreviate(a.body());
            if (a.status() != status) {
                problems.add(what + ": expected status " + status);
                return null;
            }
            checked.add(r.key());
            String ref = operation(doc, r).path("responses").path(String.valueOf(status)).path("content")
                    .path(Route.Response.JSON).path("schema").path("$ref").asText();
            return validate(what, ref.replace(SCHEMAS, ""), a);
        }

        /** What is wrong with {@code json} as a {@code schemaName} (strictly: no undeclared keys). */
        List<com.networknt.schema.Error> errors(String schemaName, String json) {
            Schema schema = registry.getSchema(SchemaLocation.of(DOC_URI + SCHEMAS + schemaName));
            return schema.validate(json, InputFormat.JSON);
        }

        private JsonNode validate(String what, String schemaName, ServerFixture.Answer a) {
            List<com.networknt.schema.Error> errors = errors(schemaName, a.body());
            if (!errors.isEmpty()) {
                problems.add(what + ": does not match " + schemaName + ": " + errors);
            }
            return a.json();
        }

        /** The route that answers {@code method path}: a literal segment wins over a parameter. */
        private Route route(String method, String path) {
            return f.server.routes().stream()
                    .filter(r -> r.method().equals(method) && path.matches(r.path().replaceAll("\\{[a-z_]+}", "[^/]+")))
                    .min(Comparator.comparingInt(r -> r.pathParams().size()))
                    .orElseThrow(() -> new AssertionError("no route answers " + method + " " + path));
        }

        private static String abbreviate(String s) {
            return s.length() <= 300 ? s : s.substring(0, 300) + "...";
        }
    }
}
