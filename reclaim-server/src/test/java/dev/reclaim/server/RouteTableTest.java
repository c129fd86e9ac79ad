package dev.reclaim.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI document, Javalin's registrations and the route table describe the same routes. */
class RouteTableTest {
    @TempDir
    Path home;

    @Test
    void everyRegisteredRouteIsInTheOpenApiDocumentAndViceVersa() {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            JsonNode doc = f.get("/openapi.json").json();
            assertThat(doc.path("openapi").asText()).startsWith("3.");
            Set<String> documented = new HashSet<>();
            doc.path("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                    .forEachRemaining(m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));

            List<String> registered = f.server.registeredRoutes();
            assertThat(registered).doesNotHaveDuplicates();
            assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
            assertThat(f.server.routes()).extracting(Route::key).containsExactlyInAnyOrderElementsOf(registered);
        }
    }

    @Test
    void everyDocumentedOperationSaysWhoMayCallItAndNamesItsPathParameters() {
        try (ServerFixture f = ServerFixture.start(home, ServerSettings.builder().port(0).workerSlots(0).build())) {
            JsonNode paths = f.get("/openapi.json").json().path("paths");
            List<String> problems = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (Route r : f.server.routes()) {
                JsonNode op = paths.path(r.path()).path(r.method().toLowerCase(Locale.ROOT));
                if (op.path("summary").asText().isBlank()) {
                    problems.add(r.key() + ": no summary");
                }
                if (!ids.add(op.path("operationId").asText())) {
                    problems.add(r.key() + ": duplicate operationId");
                }
                if (r.role() != null && !op.path("x-required-role").asText().equals(r.role().apiName())) {
                    problems.add(r.key() + ": role not documented");
                }
                for (String p : r.pathParams()) {
                    if (!op.path("parameters").toString().contains("\"name\":\"" + p + "\"")) {
                        problems.add(r.key() + ": path parameter " + p + " not documented");
                    }
                }
            }
            assertThat(problems).isEmpty();
        }
    }
}
