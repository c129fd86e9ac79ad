package dev.reclaim.server;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;
import dev.reclaim.Problems;
import dev.reclaim.ReclaimException;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * JSON of the HTTP API: snake_case names everywhere, ISO-8601 instants. Request bodies are read
 * strictly (unknown properties, wrong types, trailing data and nulls for primitives are errors) so
 * a typo is reported instead of silently ignored.
 */
final class HttpJson {
    private static final ObjectMapper WRITER = Json.output();
    private static final ObjectMapper READER = strictReader();
    private static final Pattern DUPLICATE = Pattern.compile("^Duplicate field '(.*)'$",
            Pattern.DOTALL);

    private HttpJson() {
    }

    /**
     * A body is read as written or refused: a key twice in one object (which one would win is
     * Jackson's choice, not the caller's), and scalars of the wrong kind: text for a number or
     * true/false, and a number or true/false for text (Jackson turns {@code 5} into {@code "5"}
     * unless told not to).
     */
    private static ObjectMapper strictReader() {
        ObjectMapper m = WRITER.copy()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        m.getFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return m;
    }

    /**
     * The mapper answers are written with (the OpenAPI schemas are found through it, so they name
     * properties as it writes them). Shared and thread-safe: do not reconfigure it.
     */
    static ObjectMapper mapper() {
        return WRITER;
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
     * @throws ApiException 400 saying what is wrong and where, in words: never a Java type name
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
            throw ApiException.badRequest(mismatch(e));
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the request body is nested too deeply or holds a value that is too long"
                    + at(e) + "; send a flat JSON object");
        } catch (JsonParseException e) {
            throw ApiException.badRequest(notJson(e));
        } catch (JsonProcessingException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InvalidArgumentException bad) {
                throw ApiException.badRequest(bad.getMessage());
            }
            if (cause instanceof JsonParseException parse) {
                // a syntax error met while filling a field: the mapper wraps it with the field's path
                throw ApiException.badRequest(notJson(parse));
            }
            throw ApiException.badRequest("the request body does not have the expected form" + at(e)
                    + "; see /openapi.json for this route's body");
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read the request body: " + Problems.describe(e));
        }
    }

    /** What is wrong with a body that is not (strict) JSON, in words. */
    private static String notJson(JsonParseException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (e instanceof JsonEOFException || original.startsWith("Unexpected end-of-input")) {
            return "the request body ends before its JSON value does" + at(e) + ": it was cut off; send the whole object";
        }
        Matcher dup = DUPLICATE.matcher(original);
        if (dup.matches()) {
            return "the key '" + echo(dup.group(1)) + "' appears more than once in one object" + at(e)
                    + "; give each key once";
        }
        return "the request body is not valid JSON: " + Problems.scrub(original.split("\n")[0]).replace("`", "'") + at(e);
    }

    /** A key from the request, without control characters and cut to a readable length. */
    private static String echo(String key) {
        String t = key.codePoints().filter(c -> c >= 0x20 && c != 0x7f && (c < 0x80 || c > 0x9f))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return t.length() <= 100 ? t : t.substring(0, 100) + "…";
    }

    /** "wrong type for 'tags': expected a list, got text", or what else the mismatch was. */
    private static String mismatch(MismatchedInputException e) {
        String found = e.getProcessor() instanceof JsonParser p ? shape(p.currentToken()) : null;
        if (found == null && e instanceof InvalidFormatException f) {
            // a refused coercion: the parser has moved on, the value it refused is kept
            found = f.getValue() instanceof Number ? "a number" : f.getValue() instanceof Boolean ? "true or false"
                    : f.getValue() instanceof String ? "text" : null;
        }
        if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")) {
            return "the request body continues after its JSON value" + at(e) + "; send exactly one JSON object";
        }
        String expected = expected(e.getTargetType());
        if (e.getPath().isEmpty()) {
            return "the request body must be a JSON object" + (found == null ? "" : ", not " + found);
        }
        StringBuilder where = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                where.append(where.length() == 0 ? "" : ".").append(r.getFieldName());
            } else {
                where.append('[').append(r.getIndex()).append(']');
            }
        }
        return "wrong type for '" + where + "': expected " + expected + (found == null ? "" : ", got " + found);
    }

    private static String expected(Class<?> t) {
        if (t == null) {
            return "another kind of value";
        }
        if (Collection.class.isAssignableFrom(t) || t.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(t)) {
            return "an object";
        }
        if (CharSequence.class.isAssignableFrom(t)) {
            return "text";
        }
        if (t == Boolean.class || t == boolean.class) {
            return "true or false";
        }
        if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(t) || t.isPrimitive()) {
            return "a number";
        }
        return "an object";
    }

    private static String shape(JsonToken t) {
        if (t == null) {
            return null;
        }
        return switch (t) {
            case START_ARRAY, END_ARRAY -> "a list";
            case START_OBJECT, END_OBJECT, FIELD_NAME -> "an object";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> null;
        };
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
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
