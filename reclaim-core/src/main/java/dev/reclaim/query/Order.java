package dev.reclaim.query;

import java.util.Objects;

/**
 * One ordering key. Parsed from {@code name} (ascending) or {@code -name} (descending).
 *
 * @param field      a sortable field
 * @param descending true for descending order
 */
public record Order(TaskField field, boolean descending) {
    public Order {
        Objects.requireNonNull(field, "field");
    }

    /** Parses {@code last_update} or {@code -last_update}. */
    public static Order parse(String text) {
        String s = text == null ? "" : text.trim();
        boolean desc = s.startsWith("-");
        return new Order(TaskField.parseSortable(desc ? s.substring(1) : s), desc);
    }

    @Override
    public String toString() {
        return (descending ? "-" : "") + field.apiName();
    }
}
