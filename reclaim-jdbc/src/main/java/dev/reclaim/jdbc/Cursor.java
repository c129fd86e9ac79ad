package dev.reclaim.jdbc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The opaque keyset cursor: base64url of {@code {"o": ordering signature, "k": [sort values of
 * the last row, id last]}}. A cursor only continues a query with the same ordering.
 */
final class Cursor {
    private Cursor() {
    }

    static String encode(List<SortKey> keys, List<Object> values) {
        ObjectNode node = Json.mapper().createObjectNode();
        node.put("o", SortKey.signature(keys));
        ArrayNode k = node.putArray("k");
        for (Object v : values) {
            if (v instanceof Long l) {
                k.add(l);
            } else {
                k.add((String) v);
            }
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(node).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The sort values a cursor holds, one per key: Long for numeric keys, String for text keys.
     *
     * @throws InvalidArgumentException when the cursor is malformed or was made for another ordering
     */
    static List<Object> decode(String cursor, List<SortKey> keys) {
        JsonNode node;
        try {
            byte[] json = Base64.getUrlDecoder().decode(cursor);
            node = Json.mapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            throw malformed();
        }
        if (node == null || !node.path("o").isTextual() || !node.path("k").isArray()) {
            throw malformed();
        }
        String expected = SortKey.signature(keys);
        String actual = node.get("o").asText();
        if (!expected.equals(actual)) {
            throw new InvalidArgumentException("the cursor was made for ordering '" + actual + "' but this query orders by '"
                    + expected + "'; keep the ordering while paging, or start again without a cursor");
        }
        JsonNode k = node.get("k");
        if (k.size() != keys.size()) {
            throw malformed();
        }
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            JsonNode v = k.get(i);
            if (keys.get(i).numeric() ? !v.isIntegralNumber() || !v.canConvertToLong() : !v.isTextual()) {
                throw malformed();
            }
            values.add(keys.get(i).numeric() ? (Object) v.asLong() : v.asText());
        }
        return values;
    }

    private static InvalidArgumentException malformed() {
        return new InvalidArgumentException("the cursor is malformed; pass the nextCursor of the previous page unchanged, "
                + "or start again without a cursor");
    }
}
