package dev.reclaim.server;

import java.util.List;
import java.util.Objects;

/**
 * A typed query or path parameter of a route, as the OpenAPI document describes it. The handler
 * still parses the text itself ({@link Call}); this says what it accepts.
 *
 * @param name        the parameter's name
 * @param type        {@code string}, {@code integer} or {@code boolean}
 * @param values      the only values accepted (an enum); empty when any value of the type is
 * @param repeatable  true when the parameter may be given more than once (all values count)
 * @param minimum     the least whole number accepted, or null
 * @param maximum     the largest whole number accepted, or null
 * @param pattern     a regular expression the text matches, or null
 * @param description what it means, or null
 */
record Param(String name, String type, List<String> values, boolean repeatable, Long minimum, Long maximum,
             String pattern, String description) {
    /** A Reclaim id: 28 lowercase hex digits. */
    static final String ID_PATTERN = "^[0-9a-f]{28}$";

    Param {
        Objects.requireNonNull(name, "name");
        if (!List.of("string", "integer", "boolean").contains(type)) {
            throw new IllegalArgumentException("parameter " + name + ": type must be string, integer or boolean, not " + type);
        }
        values = List.copyOf(values);
    }

    /** Any text. */
    static Param text(String name, String description) {
        return new Param(name, "string", List.of(), false, null, null, null, description);
    }

    /** A Reclaim id (28 lowercase hex digits). */
    static Param id(String name, String description) {
        return new Param(name, "string", List.of(), false, null, null, ID_PATTERN, description);
    }

    /** {@code true} or {@code false}. */
    static Param flag(String name, String description) {
        return new Param(name, "boolean", List.of(), false, null, null, null, description);
    }

    /** A whole number from {@code min} to {@code max}. */
    static Param integer(String name, long min, long max, String description) {
        return new Param(name, "integer", List.of(), false, min, max, null, description);
    }

    /** One of {@code values}. */
    static Param oneOf(String name, List<String> values, String description) {
        return new Param(name, "string", values, false, null, null, null, description);
    }

    /** A duration as {@link Call#duration} reads it: {@code 500ms}, {@code 10s} or {@code 1m}. */
    static Param duration(String name, String description) {
        return new Param(name, "string", List.of(), false, null, null, "^[0-9]{1,9}(ms|s|m)$", description);
    }

    /**
     * A path parameter named in a route's path: a Reclaim id when its name is {@code id} or ends
     * with {@code _id} (the handler reads those with {@link Call#id}), else any text.
     */
    static Param inPath(String name) {
        boolean id = name.equals("id") || name.endsWith("_id");
        return id ? id(name, "a Reclaim id: 28 lowercase hex digits") : text(name, null);
    }

    /** The same parameter, accepted more than once. */
    Param repeated() {
        return new Param(name, type, values, true, minimum, maximum, pattern, description);
    }
}
