package dev.reclaim.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the OpenAPI 3 document from the route table, the same rows Javalin registers, so the
 * document lists exactly the routes the server answers. Request and response bodies are the
 * schemas of the Java types each route declares ({@link SchemaGenerator}), and parameters are
 * typed ({@link Param}), so clients can be generated from it.
 */
final class OpenApi {
    private OpenApi() {
    }

    /** The document for {@code routes}, reporting {@code version} as the API's version. */
    static Map<String, Object> document(List<Route> routes, String version) {
        SchemaGenerator schemas = new SchemaGenerator(HttpJson.mapper());
        Map<String, Object> error = schemas.schema(ApiError.class);
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("openapi", "3.0.3");
        doc.put("info", Map.of("title", "Reclaim API", "version", version,
                "description", "Jobs, tasks and their artifacts, and the Cleanup Service. Errors are "
                        + "{\"error\": CODE, \"message\": ...}. Roles: viewer < operator < admin."));
        Map<String, Object> paths = new LinkedHashMap<>();
        for (Route r : routes) {
            @SuppressWarnings("unchecked")
            Map<String, Object> item = (Map<String, Object>) paths.computeIfAbsent(r.path(), k -> new LinkedHashMap<>());
            item.put(r.method().toLowerCase(Locale.ROOT), operation(r, schemas, error));
        }
        doc.put("paths", paths);
        for (Route r : routes) {
            if (r.body() != null && !r.streamsBody()) {
                // request bodies are read strictly: an unknown property is a 400
                schemas.components().get(SchemaGenerator.nameOf(r.body())).put("additionalProperties", false);
            }
        }
        // context fields of some codes come on top of error and message
        schemas.components().get(SchemaGenerator.nameOf(ApiError.class)).put("additionalProperties", true);
        doc.put("components", Map.of(
                "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer")),
                "schemas", schemas.components()));
        return doc;
    }

    private static Map<String, Object> operation(Route r, SchemaGenerator schemas, Map<String, Object> error) {
        Map<String, Object> op = new LinkedHashMap<>();
        op.put("summary", r.summary());
        op.put("operationId", operationId(r));
        String[] segments = r.path().split("/");
        op.put("tags", List.of(segments.length > 3 ? segments[3] : segments[1]));
        List<Object> params = new ArrayList<>();
        for (Param p : r.pathParamTypes()) {
            params.add(parameter(p, "path"));
        }
        for (Param p : r.query()) {
            params.add(parameter(p, "query"));
        }
        if (!params.isEmpty()) {
            op.put("parameters", params);
        }
        if (r.streamsBody()) {
            op.put("requestBody", Map.of("required", r.bodyRequired(),
                    "content", Map.of(Route.BYTES, Map.of("schema", Map.of("type", "string", "format", "binary")))));
        } else if (r.body() != null) {
            op.put("requestBody", Map.of("required", r.bodyRequired(),
                    "content", Map.of("application/json", Map.of("schema", schemas.schema(r.body())))));
        }
        Map<String, Object> responses = new LinkedHashMap<>();
        Route.Response ok = r.response();
        responses.put(String.valueOf(ok.status()), Map.of("description", ok.status() == 201 ? "Created" : "OK",
                "content", Map.of(ok.mediaType(), Map.of("schema", body(ok, schemas)))));
        Map<String, Object> err = Map.of("application/json", Map.of("schema", error));
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
        responses.put("default", Map.of("description", "any other error (e.g. 413 too large, 503 unavailable)",
                "content", err));
        op.put("responses", responses);
        return op;
    }

    /** The schema of a successful answer: the declared type's, or a string for text and streams. */
    private static Map<String, Object> body(Route.Response ok, SchemaGenerator schemas) {
        if (ok.type() == byte[].class && !ok.mediaType().equals(Route.Response.JSON)) {
            return Map.of("type", "string", "format", "binary");
        }
        return schemas.schema(ok.type());
    }

    private static Map<String, Object> parameter(Param p, String in) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", p.type());
        if (p.type().equals("integer")) {
            schema.put("format", p.maximum() != null && p.maximum() <= Integer.MAX_VALUE ? "int32" : "int64");
        }
        if (!p.values().isEmpty()) {
            schema.put("enum", p.values());
        }
        if (p.minimum() != null) {
            schema.put("minimum", p.minimum());
        }
        if (p.maximum() != null) {
            schema.put("maximum", p.maximum());
        }
        if (p.pattern() != null) {
            schema.put("pattern", p.pattern());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", p.name());
        out.put("in", in);
        out.put("required", in.equals("path"));
        if (p.description() != null) {
            out.put("description", p.description());
        }
        if (p.repeatable()) {
            out.put("schema", Map.of("type", "array", "items", schema));
            out.put("style", "form");
            out.put("explode", true);
        } else {
            out.put("schema", schema);
        }
        return out;
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
