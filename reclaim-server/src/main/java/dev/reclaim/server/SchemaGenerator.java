package dev.reclaim.server;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationConfig;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * OpenAPI 3.0 schemas of Java types, found by reflection through the JSON mapper the API writes
 * with, so a schema names each property exactly as the mapper writes it (snake_case, or its
 * {@code @JsonProperty} name) and cannot drift from the JSON.
 *
 * <p>Records and enums become named schemas in {@code components/schemas}, referred to with
 * {@code $ref}; scalars, lists, sets, maps and optionals are described inline:
 * <ul>
 *   <li>{@code String}: string; {@code boolean}: boolean; {@code int}, {@code long}: integer
 *       (int32, int64); {@code double}, {@code float}: number; {@code Instant}: string, date-time</li>
 *   <li>{@code List<X>}, {@code Set<X>}: array of X (a set's items are unique)</li>
 *   <li>{@code Map<String, X>}: object whose values are X</li>
 *   <li>{@code Optional<X>}: X; {@code Object} and {@code JsonNode}: any JSON value</li>
 *   <li>a {@code @JsonUnwrapped} record component: its record's properties, in its place</li>
 * </ul>
 *
 * <p>A property is required when the JSON always holds it: a primitive (the mapper leaves out only
 * nulls), a component marked {@code @JsonProperty(required = true)}, or one the mapper is told to
 * write even when null. Any other property may be left out, and a scalar, list or map one may be
 * null (a request may send null for it), so its schema is {@code nullable}. {@code @JsonPropertyDescription} and {@code @JsonClassDescription} become
 * descriptions.
 *
 * <p>A named schema is called by the type's simple name; a nested type's name is prefixed with its
 * enclosing type's name ({@code CleanupRun.Item} is {@code CleanupRunItem}), without a
 * {@code Routes} suffix and without repeating it ({@code TaskRoutes.TaskView} is
 * {@code TaskView}, {@code TokenRoutes.CreateBody} is {@code TokenCreateBody}). Two types with
 * one name are refused. Not thread-safe: one generator builds one document.
 */
final class SchemaGenerator {
    private static final String REF_PREFIX = "#/components/schemas/";

    private final ObjectMapper mapper;
    private final Map<String, Map<String, Object>> components = new TreeMap<>();
    private final Map<String, Class<?>> named = new HashMap<>();

    /** A generator for the JSON {@code mapper} writes. */
    SchemaGenerator(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The schema of a value of {@code type}: a {@code $ref} for a record or an enum (whose schema
     * is added to {@link #components()}), else an inline schema.
     *
     * @throws IllegalArgumentException for a type without a JSON schema here (a class that is not
     *                                  a record, an enum, a scalar, a collection or a map)
     */
    Map<String, Object> schema(Type type) {
        return schema(mapper.getTypeFactory().constructType(type));
    }

    /** The component name of a record or enum (see the class comment). */
    static String nameOf(Class<?> type) {
        Class<?> outer = type.getEnclosingClass();
        String simple = type.getSimpleName();
        if (outer == null) {
            return simple;
        }
        String prefix = outer.getSimpleName().replaceFirst("Routes$", "");
        return simple.startsWith(prefix) ? simple : prefix + simple;
    }

    /** The named schemas made so far, by name (sorted); the maps are this generator's own. */
    Map<String, Map<String, Object>> components() {
        return components;
    }

    private Map<String, Object> schema(JavaType t) {
        Class<?> raw = t.getRawClass();
        if (raw == String.class || raw == char.class || raw == Character.class) {
            return type("string", null);
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return type("boolean", null);
        }
        if (raw == int.class || raw == Integer.class || raw == short.class || raw == Short.class || raw == byte.class
                || raw == Byte.class) {
            return type("integer", "int32");
        }
        if (raw == long.class || raw == Long.class) {
            return type("integer", "int64");
        }
        if (raw == BigInteger.class) {
            return type("integer", null);
        }
        if (raw == double.class || raw == Double.class) {
            return type("number", "double");
        }
        if (raw == float.class || raw == Float.class) {
            return type("number", "float");
        }
        if (raw == BigDecimal.class) {
            return type("number", null);
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class) {
            return type("string", "date-time");
        }
        if (raw == LocalDate.class) {
            return type("string", "date");
        }
        if (raw == UUID.class) {
            return type("string", "uuid");
        }
        if (raw == byte[].class) {
            return type("string", "byte"); // the mapper writes bytes as base64
        }
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw)) {
            return new LinkedHashMap<>(); // any JSON value
        }
        if (raw == Optional.class || t.isReferenceType()) {
            return schema(t.isReferenceType() ? t.getReferencedType() : t.containedTypeOrUnknown(0));
        }
        if (t.isCollectionLikeType() || t.isArrayType()) {
            Map<String, Object> s = type("array", null);
            s.put("items", schema(t.getContentType()));
            if (Set.class.isAssignableFrom(raw)) {
                s.put("uniqueItems", true);
            }
            return s;
        }
        if (t.isMapLikeType()) {
            Map<String, Object> s = type("object", null);
            Map<String, Object> values = schema(t.getContentType());
            s.put("additionalProperties", values.isEmpty() ? true : values);
            return s;
        }
        if (raw.isEnum()) {
            return ref(raw, () -> enumSchema(raw));
        }
        if (raw.isRecord()) {
            return ref(raw, () -> recordSchema(t));
        }
        throw new IllegalArgumentException("no schema for " + t + ": describe JSON with a record, an enum, a scalar, "
                + "a list, a set or a map");
    }

    private Map<String, Object> ref(Class<?> raw, java.util.function.Supplier<Map<String, Object>> make) {
        String name = nameOf(raw);
        Class<?> before = named.putIfAbsent(name, raw);
        if (before != null && before != raw) {
            throw new IllegalStateException("two types are both called " + name + " in the OpenAPI document: " + before.getName()
                    + " and " + raw.getName() + "; rename one");
        }
        if (before == null) {
            Map<String, Object> placeholder = new LinkedHashMap<>();
            components.put(name, placeholder); // a record that refers to itself finds its name taken
            placeholder.putAll(make.get());
        }
        return new LinkedHashMap<>(Map.of("$ref", REF_PREFIX + name));
    }

    private Map<String, Object> enumSchema(Class<?> raw) {
        if (mapper.isEnabled(SerializationFeature.WRITE_ENUMS_USING_TO_STRING)
                || Arrays.stream(raw.getDeclaredMethods()).anyMatch(m -> m.isAnnotationPresent(JsonValue.class))) {
            throw new IllegalArgumentException("enum " + raw.getName() + " is not written by its constant names; "
                    + "describe its values another way");
        }
        List<String> values = new ArrayList<>();
        for (Object c : raw.getEnumConstants()) {
            String name = ((Enum<?>) c).name();
            try {
                JsonProperty p = raw.getField(name).getAnnotation(JsonProperty.class);
                values.add(p != null && !p.value().isEmpty() ? p.value() : name);
            } catch (NoSuchFieldException e) {
                throw new IllegalStateException(e);
            }
        }
        Map<String, Object> s = type("string", null);
        s.put("enum", values);
        return s;
    }

    private Map<String, Object> recordSchema(JavaType t) {
        SerializationConfig config = mapper.getSerializationConfig();
        BeanDescription d = config.introspect(t);
        JsonInclude.Value classInclusion = d.findPropertyInclusion(config.getDefaultPropertyInclusion(t.getRawClass()));
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> required = new ArrayList<>();
        for (BeanPropertyDefinition p : d.findProperties()) {
            if (!p.couldSerialize()) {
                continue;
            }
            JavaType pt = p.getPrimaryType();
            if (p.getPrimaryMember() != null && p.getPrimaryMember().hasAnnotation(JsonUnwrapped.class)) {
                // the mapper writes the component's properties in place of it: so does its schema
                Map<String, Object> inner = recordSchema(pt);
                @SuppressWarnings("unchecked")
                Map<String, Object> innerProperties = (Map<String, Object>) inner.get("properties");
                properties.putAll(innerProperties);
                @SuppressWarnings("unchecked")
                List<String> innerRequired = (List<String>) inner.getOrDefault("required", List.of());
                required.addAll(innerRequired);
                continue;
            }
            JsonInclude.Include inclusion = classInclusion.withOverrides(p.findInclusion()).getValueInclusion();
            boolean always = inclusion == JsonInclude.Include.ALWAYS || inclusion == JsonInclude.Include.USE_DEFAULTS;
            boolean unlessNull = always || inclusion == JsonInclude.Include.NON_NULL
                    || inclusion == JsonInclude.Include.NON_ABSENT;
            boolean declared = p.isRequired();
            boolean isRequired = declared || always || pt.isPrimitive() && unlessNull;
            Map<String, Object> ps = schema(pt);
            // left out rather than written as null, a record or enum needs no nullable reference
            boolean nullable = !declared && !pt.isPrimitive() && (always || !ps.containsKey("$ref"));
            properties.put(p.getName(), property(ps, nullable, p.getMetadata().getDescription()));
            if (isRequired) {
                required.add(p.getName());
            }
        }
        Map<String, Object> s = type("object", null);
        JsonClassDescription about = t.getRawClass().getAnnotation(JsonClassDescription.class);
        if (about != null) {
            s.put("description", about.value());
        }
        s.put("properties", properties);
        if (!required.isEmpty()) {
            s.put("required", required);
        }
        return s;
    }

    /**
     * A property's schema with its description and nullability. A {@code $ref} takes no sibling
     * keywords in OpenAPI 3.0, so a described or nullable reference is wrapped in {@code allOf}; a
     * schema without a type (any value) already admits null.
     */
    private static Map<String, Object> property(Map<String, Object> schema, boolean nullable, String description) {
        Map<String, Object> s = schema;
        if (schema.containsKey("$ref") && (nullable || description != null)) {
            s = new LinkedHashMap<>();
            s.put("allOf", List.of(schema));
        }
        if (nullable && (s.containsKey("type") || s.containsKey("allOf"))) {
            s.put("nullable", true);
        }
        if (description != null) {
            s.put("description", description);
        }
        return s;
    }

    private static Map<String, Object> type(String type, String format) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("type", type);
        if (format != null) {
            s.put("format", format);
        }
        return s;
    }
}
