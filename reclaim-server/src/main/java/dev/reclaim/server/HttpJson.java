package dev.reclaim.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.reclaim.Json;
import dev.reclaim.ReclaimException;

import java.util.stream.Collectors;

/**
 * JSON of the HTTP API: snake_case names everywhere, ISO-8601 instants. Request bodies are read
 * strictly (unknown properties, wrong types, trailing data and nulls for primitives are errors) so
 * a typo is reported instead of silently ignored.
 */
final class HttpJson {
    private static final ObjectMapper WRITER = Json.mapper().copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectMapper READER = WRITER.copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(com.fasterxml.jackson.databind.MapperFeature.ALLOW_COERCION_OF_SCALARS);

    private HttpJson() {
    }

    static String write(Object value) {
        try {
            return WRITER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ReclaimException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Reads a request body.
     *
     * @throws ApiException 400 saying what is wrong and where
     */
    static <T> T read(byte[] body, Class<T> type) {
        try {
            T v = READER.readValue(body, type);
            if (v == null) {
                throw ApiException.badRequest("the request body is JSON null; send a JSON object");
            }
            return v;
        } catch (UnrecognizedPropertyException e) {
            throw ApiException.badRequest("unknown property '" + e.getPropertyName() + "'; known properties: "
                    + e.getKnownPropertyIds().stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")));
        } catch (MismatchedInputException e) {
            String where = e.getPath().isEmpty() ? "the body" : "'" + e.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")) + "'";
            throw ApiException.badRequest("wrong type for " + where + ": " + e.getOriginalMessage().split("\n")[0]);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the request body is not valid JSON: " + e.getOriginalMessage().split("\n")[0]
                    + " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (java.io.IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + e.getMessage());
        }
    }

    /** A stored JSON document (a job's result) as a tree, so it is embedded rather than quoted; text if it is not JSON. */
    static Object readTree(String json) {
        try {
            return WRITER.readTree(json);
        } catch (JsonProcessingException e) {
            return json;
        }
    }
}
