package dev.reclaim.server;

import dev.reclaim.model.Sha256;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.tokens.Role;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Bulk writes over real HTTP: batch create, batch register by reference, streamed upload, metrics. */
class BulkRoutesTest {
    private static final int UPLOAD_LIMIT = 4096;

    @TempDir
    Path home;
    ServerFixture f;
    Path root;

    @BeforeEach
    void start() throws IOException {
        f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).maxUploadBytes(UPLOAD_LIMIT).build());
        root = home.resolve("artifacts").toRealPath();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String task(String name) {
        ServerFixture.Answer a = f.post("/api/v1/tasks", "{\"name\": \"" + name + "\"}");
        assertThat(a.status()).as(a.body()).isEqualTo(201);
        return a.json().path("id").asText();
    }

    private long taskCount() {
        return f.reclaim.tasks().getAll(TaskQuery.builder().pageSize(500).build()).items().size();
    }

    /** An object in the default root outside tasks/, as a person put it there: registrable by reference. */
    private String object(String key, String text) throws IOException {
        Path p = root.resolve(key);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p.toString();
    }

    private static String tasksJson(Stream<String> items) {
        return "{\"tasks\": [" + String.join(", ", items.toList()) + "]}";
    }

    @Test
    void aBatchOfTasksIsCreatedInOrderAndAllOrNothing() {
        long before = taskCount();
        ServerFixture.Answer ok = f.post("/api/v1/tasks/batch", tasksJson(Stream.of(
                "{\"name\": \"a\", \"project\": \"bulk\", \"tags\": [\"x\"]}", "{\"name\": \"b\", \"status\": \"completed\"}")));

        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        List<String> ids = f.MAPPER.convertValue(ok.json().path("ids"), f.MAPPER.getTypeFactory()
                .constructCollectionType(List.class, String.class));
        assertThat(ids).hasSize(2);
        assertThat(f.get("/api/v1/tasks/" + ids.get(0)).json().path("name").asText()).isEqualTo("a");
        assertThat(f.get("/api/v1/tasks/" + ids.get(1)).json().path("status").asText()).isEqualTo("COMPLETED");

        ServerFixture.Answer bad = f.post("/api/v1/tasks/batch", tasksJson(Stream.of(
                "{\"name\": \"c\"}", "{\"name\": \"d\", \"status\": \"running\"}")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("index").asInt()).isEqualTo(1);
        assertThat(bad.json().path("message").asText()).startsWith("tasks[1]: ").contains("nothing of the batch was done");
        ServerFixture.Answer orphan = f.post("/api/v1/tasks/batch", tasksJson(Stream.of(
                "{\"name\": \"e\"}", "{\"name\": \"f\", \"parent\": \"" + "0".repeat(28) + "\"}")));
        assertThat(orphan.status()).isEqualTo(400);
        assertThat(orphan.json().path("message").asText()).startsWith("tasks[1]: parent task");
        assertThat(taskCount()).as("one bad item creates nothing").isEqualTo(before + 2);
    }

    @Test
    void tenThousandTasksFitOneRequestAndOneMoreIsRefused() {
        long before = taskCount();
        ServerFixture.Answer ok = f.post("/api/v1/tasks/batch", tasksJson(
                java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "{\"name\": \"t" + i + "\", \"project\": \"bulk\"}")));
        assertThat(ok.status()).as(ok.body().substring(0, Math.min(300, ok.body().length()))).isEqualTo(201);
        assertThat(ok.json().path("ids")).hasSize(10_000);

        ServerFixture.Answer over = f.post("/api/v1/tasks/batch", tasksJson(
                java.util.stream.IntStream.range(0, 10_001).mapToObj(i -> "{\"name\": \"u" + i + "\"}")));
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().path("message").asText()).contains("at most 10000");
        assertThat(f.reclaim.tasks().getAll(TaskQuery.builder().projects(List.of("bulk")).pageSize(1).build())
                .items()).hasSize(1);
        assertThat(taskCount()).isGreaterThan(before);
    }

    @Test
    void objectsAreRegisteredByReferenceWithMetricsAllOrNothing() throws IOException {
        String t = task("train");
        String one = object("ckpts/epoch-1.ckpt", "one");
        String two = object("ckpts/epoch-2.ckpt", "two!");

        ServerFixture.Answer ok = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + one + "\", \"kind\": \"model\", \"name\": \"epoch-1.ckpt\", "
                + "\"metrics\": {\"val_loss\": 0.5}}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"file://" + two + "\", \"kind\": \"model\", \"name\": \"epoch-2.ckpt\", "
                + "\"metrics\": {\"val_loss\": 0.25, \"acc\": 0.9}}]}");

        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        JsonNode listed = f.get("/api/v1/tasks/" + t + "/artifacts").json().path("artifacts");
        assertThat(listed).hasSize(2);
        // listed by id, and two ids of one millisecond come in either order: find each by name
        JsonNode first = named(listed, "epoch-1.ckpt");
        JsonNode second = named(listed, "epoch-2.ckpt");
        assertThat(first.path("size_bytes").asLong()).isEqualTo(3);
        assertThat(second.path("size_bytes").asLong()).isEqualTo(4);
        assertThat(second.path("metrics").path("val_loss").asDouble()).isEqualTo(0.25);
        assertThat(second.path("metrics").path("acc").asDouble()).isEqualTo(0.9);

        String three = object("ckpts/epoch-3.ckpt", "three");
        ServerFixture.Answer missing = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + three + "\", \"kind\": \"model\", \"name\": \"epoch-3.ckpt\"}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + root.resolve("ckpts/nope") + "\", \"kind\": \"model\", "
                + "\"name\": \"nope\"}]}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("index").asInt()).isEqualTo(1);
        assertThat(missing.json().path("message").asText()).startsWith("artifacts[1]: ").contains("no object");
        ServerFixture.Answer taken = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + three + "\", \"kind\": \"model\", \"name\": \"epoch-3.ckpt\"}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + three + "\", \"kind\": \"model\", \"name\": \"epoch-1.ckpt\"}]}");
        assertThat(taken.status()).as("a taken name without replace").isEqualTo(409);
        assertThat(taken.json().path("index").asInt()).isEqualTo(1);
        ServerFixture.Answer outside = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + home.resolve("elsewhere.bin") + "\", \"kind\": \"model\", "
                + "\"name\": \"x\"}]}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.json().path("message").asText()).contains("inside none of");
        ServerFixture.Answer nan = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + three + "\", \"kind\": \"model\", \"name\": \"e3\", "
                + "\"metrics\": {\"val_loss\": 1e999}}]}");
        assertThat(nan.status()).isEqualTo(400);
        assertThat(nan.json().path("message").asText()).contains("finite number");
        assertThat(f.get("/api/v1/tasks/" + t + "/artifacts").json().path("artifacts")).as("nothing of refused batches")
                .hasSize(2);

        ServerFixture.Answer replaced = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + three + "\", \"kind\": \"model\", \"name\": \"epoch-1.ckpt\", "
                + "\"replace\": true}]}");
        assertThat(replaced.status()).as(replaced.body()).isEqualTo(201);
        assertThat(replaced.json().path("superseded")).hasSize(1);
    }

    @Test
    void tenThousandRegistrationsInOneTaskFitOneRequestAndAClashingNameIsRefused() throws IOException {
        String t = task("many");
        String shared = object("ckpts/shared.ckpt", "s");
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            items.append(i == 0 ? "" : ", ").append("{\"task_id\": \"").append(t).append("\", \"ref\": \"").append(shared)
                    .append("\", \"kind\": \"artifact\", \"name\": \"part-").append(i).append(".bin\"}");
        }
        ServerFixture.Answer ok = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": [" + items + "]}");
        assertThat(ok.status()).as(ok.body().substring(0, Math.min(300, ok.body().length()))).isEqualTo(201);
        assertThat(ok.json().path("artifacts")).hasSize(10_000);

        ServerFixture.Answer clash = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + shared + "\", \"kind\": \"artifact\", \"name\": \"new.bin\"}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + shared + "\", \"kind\": \"artifact\", \"name\": \"PART-7.bin\"}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + shared + "\", \"kind\": \"artifact\", \"name\": \"new.bin/x\"}]}");
        assertThat(clash.status()).isEqualTo(400);
        assertThat(clash.json().path("index").asInt()).isEqualTo(1);
        assertThat(clash.json().path("message").asText()).contains("ignore case");
        ServerFixture.Answer folder = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + shared + "\", \"kind\": \"artifact\", \"name\": \"new.bin\"}, "
                + "{\"task_id\": \"" + t + "\", \"ref\": \"" + shared + "\", \"kind\": \"artifact\", \"name\": \"new.bin/x\"}]}");
        assertThat(folder.status()).isEqualTo(400);
        assertThat(folder.json().path("index").asInt()).isEqualTo(1);
        assertThat(folder.json().path("message").asText()).contains("needs a folder");
        assertThat(f.reclaim.tasks().liveArtifacts(t)).hasSize(10_000);
    }

    @Test
    void tenThousandAndOneRegistrationsAreRefused() {
        String t = task("t");
        String item = "{\"task_id\": \"" + t + "\", \"ref\": \"/x\", \"kind\": \"model\", \"name\": \"x\"}, ";
        ServerFixture.Answer over = f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": ["
                + item.repeat(10_000) + item.substring(0, item.length() - 2) + "]}");
        assertThat(over.status()).isEqualTo(400);
        assertThat(over.json().path("message").asText()).contains("at most 10000");
    }

    @Test
    void anUploadIsStoredWithItsChecksumAndRefusedOverTheLimitOrOnAMismatch() {
        String t = task("up");
        byte[] body = "weights".getBytes(StandardCharsets.UTF_8);
        String sha = Sha256.of(body);

        ServerFixture.Answer ok = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=ckpt/e1.pt", body,
                Map.of(BulkRoutes.CHECKSUM_HEADER, sha.toUpperCase(java.util.Locale.ROOT)));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        String artifactId = ok.json().path("id").asText();
        assertThat(f.reclaim.tasks().findArtifact(artifactId).orElseThrow().sha256()).isEqualTo(sha);
        assertThat(f.download("/api/v1/tasks/" + t + "/artifacts/" + artifactId + "/content")).isEqualTo(body);

        ServerFixture.Answer mismatch = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=e2.pt", body,
                Map.of(BulkRoutes.CHECKSUM_HEADER, "0".repeat(64)));
        assertThat(mismatch.status()).isEqualTo(422);
        assertThat(mismatch.json().path("error").asText()).isEqualTo(BulkRoutes.CHECKSUM_MISMATCH);
        ServerFixture.Answer large = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=e3.pt",
                new byte[UPLOAD_LIMIT + 1], Map.of());
        assertThat(large.status()).isEqualTo(413);
        ServerFixture.Answer exact = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=e4.pt",
                new byte[UPLOAD_LIMIT], Map.of());
        assertThat(exact.status()).as(exact.body()).isEqualTo(201);
        ServerFixture.Answer taken = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=ckpt/e1.pt", body,
                Map.of());
        assertThat(taken.status()).isEqualTo(409);
        ServerFixture.Answer json = f.put("/api/v1/tasks/" + t + "/artifacts?kind=model&name=e5.pt", "{}");
        assertThat(json.status()).as("a JSON body is no upload").isIn(201, 400);

        assertThat(f.reclaim.tasks().liveArtifacts(t)).extracting(a -> a.name())
                .doesNotContain("e2.pt", "e3.pt");
        try (Stream<Path> left = Files.list(home.resolve("staging").resolve("uploads"))) {
            assertThat(left).as("no upload file is left behind").isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anUploadWithAnotherContentTypeIsRefusedAtTheBoundary() {
        String t = task("t");
        ServerFixture.Answer text = f.sendBody("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=a",
                java.net.http.HttpRequest.BodyPublishers.ofString("x"), Map.of("Content-Type", "text/plain"));
        assertThat(text.status()).isEqualTo(415);
        ServerFixture.Answer bytesElsewhere = f.sendBytes("POST", "/api/v1/tasks/batch", new byte[]{'{', '}'}, Map.of());
        assertThat(bytesElsewhere.status()).as("octet-stream only where a route streams bytes").isEqualTo(415);
    }

    @Test
    void metricsAreMergedValidatedAndListed() {
        String t = task("m");
        String id = f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=e1.pt", new byte[3], Map.of())
                .json().path("id").asText();
        String path = "/api/v1/tasks/" + t + "/artifacts/" + id + "/metrics";

        assertThat(f.post(path, "{\"metrics\": {\"val_loss\": 0.31, \"acc\": 0.7}}").status()).isEqualTo(200);
        ServerFixture.Answer merged = f.post(path, "{\"metrics\": {\"val_loss\": 0.29}}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().path("metrics").path("val_loss").asDouble()).isEqualTo(0.29);
        assertThat(merged.json().path("metrics").path("acc").asDouble()).isEqualTo(0.7);

        for (String bad : List.of("{\"metrics\": {\"val_loss\": \"0.3\"}}", "{\"metrics\": {\"val_loss\": null}}",
                "{\"metrics\": {\" val_loss\": 1}}", "{\"metrics\": {}}", "{\"metrics\": {\"x\": 1e999}}")) {
            ServerFixture.Answer a = f.post(path, bad);
            assertThat(a.status()).as(bad + " -> " + a.body()).isEqualTo(400);
        }
        assertThat(f.post("/api/v1/tasks/" + t + "/artifacts/" + "0".repeat(28) + "/metrics",
                "{\"metrics\": {\"x\": 1}}").status()).isEqualTo(404);
        assertThat(f.get("/api/v1/tasks/" + t + "/artifacts").json().path("artifacts").get(0).path("metrics").size())
                .isEqualTo(2);
    }

    @Test
    void aViewerMayNotWriteInBulk() {
        String t = task("v");
        f.token = f.server.tokens().create("viewer", Role.VIEWER).token();
        assertThat(f.post("/api/v1/tasks/batch", tasksJson(Stream.of("{\"name\": \"a\"}"))).status()).isEqualTo(403);
        assertThat(f.post("/api/v1/tasks/artifacts/batch", "{\"artifacts\": []}").status()).isEqualTo(403);
        assertThat(f.sendBytes("PUT", "/api/v1/tasks/" + t + "/artifacts?kind=model&name=a", new byte[1], Map.of()).status())
                .isEqualTo(403);
        assertThat(f.post("/api/v1/tasks/" + t + "/artifacts/" + "0".repeat(28) + "/metrics", "{\"metrics\": {\"x\": 1}}")
                .status()).isEqualTo(403);
    }

    private static JsonNode named(JsonNode artifacts, String name) {
        for (JsonNode a : artifacts) {
            if (a.path("name").asText().equals(name)) {
                return a;
            }
        }
        throw new AssertionError("no artifact named " + name + " in " + artifacts);
    }
}
