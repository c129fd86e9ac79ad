package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The fields of a task as queries name them (projection with {@code onlyFields}, ordering with
 * {@code orderBy}). Names are the API's snake_case names. {@link #SIZE} only orders: it is not
 * kept on the task but by the store (bytes of the task's live artifacts), so it cannot be shown as
 * a field.
 */
public enum TaskField {
    ID("id", true), NAME("name", true), PROJECT("project", true), TYPE("type", true), OWNER("owner", true),
    STATUS("status", true), TAGS("tags", false), SYSTEM_TAGS("system_tags", false),
    CREATED("created", true), STARTED("started", true), ENDED("ended", true),
    STATUS_CHANGED("status_changed", true), LAST_UPDATE("last_update", true), ARCHIVED_AT("archived_at", true),
    RESULTS_RETRIEVED_AT("results_retrieved_at", false), PARENT("parent", false), INPUT_MODELS("input_models", false),
    QUEUE("queue", false), WORKER("worker", false), EXIT_CODE("exit_code", false), ERROR("error", false),
    PARAMS("params", false),
    /** Bytes of the task's LIVE artifacts (0 without any): an ordering key only, never shown. */
    SIZE("size", true, false);

    private final String apiName;
    private final boolean sortable;
    private final boolean shown;

    TaskField(String apiName, boolean sortable) {
        this(apiName, sortable, true);
    }

    TaskField(String apiName, boolean sortable, boolean shown) {
        this.apiName = apiName;
        this.sortable = sortable;
        this.shown = shown;
    }

    /** The name used in queries and JSON. */
    public String apiName() {
        return apiName;
    }

    /** True when tasks can be ordered by this field. */
    public boolean sortable() {
        return sortable;
    }

    /** True when a task view can show this field (a projection may name it); false for {@link #SIZE}. */
    public boolean shown() {
        return shown;
    }

    /**
     * Looks a field to show up by its API name.
     *
     * @throws InvalidArgumentException listing the fields that can be shown when the name is unknown
     *                                  or names an ordering-only field
     */
    public static TaskField parse(String name) {
        TaskField f = find(name);
        if (f == null || !f.shown) {
            throw new InvalidArgumentException((f == null ? "unknown field '" + name + "'"
                    : "'" + name + "' can only order tasks, it is not a field to show")
                    + "; known fields: " + names(TaskField::shown));
        }
        return f;
    }

    /**
     * Looks a sortable field up by its API name.
     *
     * @throws InvalidArgumentException when unknown or not sortable, listing the sortable fields
     */
    public static TaskField parseSortable(String name) {
        TaskField f = find(name);
        if (f == null || !f.sortable) {
            throw new InvalidArgumentException((f == null ? "unknown sort field '" + name + "'" : "cannot order by '" + name + "'")
                    + "; sortable fields: " + names(TaskField::sortable));
        }
        return f;
    }

    private static TaskField find(String name) {
        for (TaskField f : values()) {
            if (f.apiName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    private static String names(Predicate<TaskField> which) {
        return Arrays.stream(values()).filter(which).map(TaskField::apiName).collect(Collectors.joining(", "));
    }
}
