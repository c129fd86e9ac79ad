package dev.reclaim.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the OpenAPI 3 document from the route table, the same rows Javalin registers, so the
 * document lists exactly the routes the server answers.
 */
final class OpenApi {
    private OpenApi() {
    }

    static Map<String, Object> document(List<Route> routes, String version) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Reclaim API", "version", version,
                "description", "Jobs, tasks and their artifacts, and the Cleanup Service. Errors are "
                        + "{\"error\": CODE, \"message\": ...}. Roles: viewer < operator < admin."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(Locale.ROOT), operation(r));
        }
        doc.put("paths", paths);
        Map<String, Object> error = Map.of("type", "object", "required", List.of("error", "message"),
                "properties", Map.of("error", Map.of("type", "string"), "message", Map.of("type", "string")));
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", Map.of("Error", error)));
        return doc;
    }

    private static Map<String, Object> operation(Route r) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", r.summary());
        op.put("operationId", operationId(r));
        String[] segments = r.path().split("/");
        op.put("tags", List.of(segments.length > 3 ? segments[3] : segments[1]));
        List<Object> params = new ArrayList<>();
        for (String p : r.pathParams()) {
            params.add(Map.of("name", p, "in", "path", "required", true, "schema", Map.of("type", "string")));
        }
        for (String q : r.queryParams()) {
            params.add(Map.of("name", q, "in", "query", "required", false, "schema", Map.of("type", "string")));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (r.body() != null) {
            op.put("requestBody", Map.of("required", !r.body().contains("(optional)"), "description", r.body(),
                    "content", Map.of("application/json", Map.of("schema", Map.of("type", "object")))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        responses.put("200", Map.of("description", "OK"));
        Map<String, Object> err = Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/Error")));
        responses.put("400", Map.of("description", "bad input; nothing changed", "content", err));
        if (r.role() != null) {
            responses.put("401", Map.of("description", "no or invalid token", "content", err));
            responses.put("403", Map.of("description", "role too low", "content", err));
            op.put("security", List.of(Map.of("bearer", List.of())));
            op.put("x-required-role", r.role().apiName());
        } else {
            op.put("security", List.of());
        }
        responses.put("404", Map.of("description", "not found", "content", err));
        responses.put("409", Map.of("description", "conflict: needs force, busy or changed", "content", err));
        op.put("responses", responses);
        return op;
    }

    private static String operationId(Route r) {
        StringBuilder b = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
        for (String s : r.path().replace("/api/v1", "").split("[/_]")) {
            if (s.isEmpty()) {
                continue;
            }
            String w = s.replace("{", "by_").replace("}", "").replace(".", "_");
            for (String part : w.split("_")) {
                if (!part.isEmpty()) {
                    b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
                }
            }
        }
        return b.toString();
    }
}
