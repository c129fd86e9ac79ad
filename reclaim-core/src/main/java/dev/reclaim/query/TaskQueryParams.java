package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.TaskStatus;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The task query language as text, shared by every front end ({@code reclaim tasks list} flags and
 * {@code GET /api/v1/tasks} query parameters), so both accept and refuse exactly the same input.
 * Each parameter maps to a list of raw values; a bad value, an unknown parameter or a repeated
 * single-valued parameter is an {@link InvalidArgumentException} whose message names the parameter
 * the way the caller's user wrote it.
 */
public final class TaskQueryParams {
    /** Only these ids (repeatable). */
    public static final String ID = "id";
    /** Name regular expression (once). */
    public static final String NAME = "name";
    /** Project (repeatable). */
    public static final String PROJECT = "project";
    /** Status, case-insensitive (repeatable). */
    public static final String STATUS = "status";
    /** Type (repeatable). */
    public static final String TYPE = "type";
    /** Owner (repeatable). */
    public static final String OWNER = "owner";
    /** Parent task id (once). */
    public static final String PARENT = "parent";
    /** User tag filter, {@code -} excludes (repeatable). */
    public static final String TAG = "tag";
    /** System tag filter, {@code -} excludes (repeatable). */
    public static final String SYSTEM_TAG = "system_tag";
    /** Condition on the last status change (repeatable, ANDed). */
    public static final String STATUS_CHANGED = "status_changed";
    /** Condition on the archive time (repeatable, ANDed). */
    public static final String ARCHIVED_AT = "archived_at";
    /** Projection, comma-separated field names (repeatable). */
    public static final String FIELDS = "fields";
    /** Sort keys, comma-separated, {@code -} for descending (repeatable). */
    public static final String ORDER_BY = "order_by";
    /** Zero-based page number (once). */
    public static final String PAGE = "page";
    /** Rows per page, 1..{@link TaskQuery#MAX_PAGE_SIZE} (once). */
    public static final String PAGE_SIZE = "page_size";
    /** Keyset cursor from a previous page (once). */
    public static final String CURSOR = "cursor";
    /** The parameters that filter (what a summary of a filter takes), in documentation order. */
    public static final List<String> FILTERS = List.of(ID, NAME, PROJECT, STATUS, TYPE, OWNER, PARENT, TAG, SYSTEM_TAG,
            STATUS_CHANGED, ARCHIVED_AT);
    /** Every parameter name, in documentation order. */
    public static final List<String> NAMES = List.of(ID, NAME, PROJECT, STATUS, TYPE, OWNER, PARENT, TAG, SYSTEM_TAG,
            STATUS_CHANGED, ARCHIVED_AT, FIELDS, ORDER_BY, PAGE, PAGE_SIZE, CURSOR);

    private TaskQueryParams() {
    }

    /**
     * A parsed request: the query and the projection to show.
     *
     * @param query  the query, validated
     * @param fields the fields to show (empty: all)
     */
    public record Parsed(TaskQuery query, List<TaskField> fields) {
        public Parsed {
            fields = List.copyOf(fields);
        }
    }

    /**
     * Parses raw parameter values.
     *
     * @param values parameter name (one of {@link #NAMES}) to its raw values, in the order given
     * @param label  how the user wrote a parameter, for messages (e.g. {@code status_changed -> --status-changed})
     * @throws InvalidArgumentException for an unknown parameter or a bad value; nothing is half-parsed
     */
    public static Parsed parse(Map<String, List<String>> values, UnaryOperator<String> label) {
        for (String k : values.keySet()) {
            if (!NAMES.contains(k)) {
                throw new InvalidArgumentException("unknown query parameter '" + label.apply(k) + "'; known parameters: "
                        + String.join(", ", NAMES.stream().map(label).toList()));
            }
        }
        Map<String, List<String>> v = new LinkedHashMap<>(values);
        List<TaskStatus> statuses = all(v, STATUS).stream().map(TaskStatus::parse).toList();
        List<TimeCondition> changed = all(v, STATUS_CHANGED).stream()
                .map(c -> TimeCondition.parse(label.apply(STATUS_CHANGED), c)).toList();
        List<TimeCondition> archived = all(v, ARCHIVED_AT).stream()
                .map(c -> TimeCondition.parse(label.apply(ARCHIVED_AT), c)).toList();
        List<TaskField> fields = split(all(v, FIELDS)).stream().map(TaskField::parse).toList();
        List<Order> orders = split(all(v, ORDER_BY)).stream().map(Order::parse).toList();
        String parent = one(v, PARENT, label);
        if (parent != null && parent.isBlank()) {
            throw new InvalidArgumentException(label.apply(PARENT) + " needs a task id");
        }
        String page = one(v, PAGE, label);
        String pageSize = one(v, PAGE_SIZE, label);
        TaskQuery query = TaskQuery.builder().ids(all(v, ID)).namePattern(one(v, NAME, label)).projects(all(v, PROJECT))
                .statuses(statuses).types(all(v, TYPE)).owners(all(v, OWNER)).parentId(parent).tags(all(v, TAG))
                .systemTags(all(v, SYSTEM_TAG)).statusChanged(changed).archivedAt(archived).orderBy(orders)
                .page(page == null ? null : integer(label.apply(PAGE), page))
                .pageSize(pageSize == null ? TaskQuery.DEFAULT_PAGE_SIZE : integer(label.apply(PAGE_SIZE), pageSize))
                .cursor(one(v, CURSOR, label)).build();
        return new Parsed(query, fields);
    }

    private static List<String> all(Map<String, List<String>> v, String name) {
        List<String> l = v.get(name);
        return l == null ? List.of() : l;
    }

    private static String one(Map<String, List<String>> v, String name, UnaryOperator<String> label) {
        List<String> l = all(v, name);
        if (l.size() > 1) {
            throw new InvalidArgumentException(label.apply(name) + " was given " + l.size() + " times; give it once");
        }
        return l.isEmpty() ? null : l.get(0);
    }

    /** Comma-separated lists (fields, order_by): blanks around names are ignored, empty names are not. */
    private static List<String> split(List<String> raw) {
        List<String> out = new ArrayList<>();
        for (String r : raw) {
            Arrays.stream(r.split(",", -1)).map(String::trim).forEach(out::add);
        }
        return out;
    }

    private static int integer(String label, String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            throw new InvalidArgumentException(label + " must be a whole number, got '" + s + "'");
        }
    }
}
