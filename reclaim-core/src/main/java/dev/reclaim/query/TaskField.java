package dev.reclaim.query;

import dev.reclaim.InvalidArgumentException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The fields of a task as queries name them (projection with {@code onlyFields}, ordering with
 * {@code orderBy}). Names are the API's snake_case names.
 */
public enum TaskField {
    ID("id", true), NAME("name", true), PROJECT("project", true), TYPE("type", true), OWNER("owner", true),
    STATUS("status", true), TAGS("tags", false), SYSTEM_TAGS("system_tags", false),
    CREATED("created", true), STARTED("started", true), ENDED("ended", true),
    STATUS_CHANGED("status_changed", true), LAST_UPDATE("last_update", true), ARCHIVED_AT("archived_at", true),
    RESULTS_RETRIEVED_AT("results_retrieved_at", false), PARENT("parent", false), INPUT_MODELS("input_models", false),
    QUEUE("queue", false), WORKER("worker", false), EXIT_CODE("exit_code", false), ERROR("error", false),
    PARAMS("params", false);

    private final String apiName;
    private final boolean sortable;

    TaskField(String apiName, boolean sortable) {
        this.apiName = apiName;
        this.sortable = sortable;
    }

    /** The name used in queries and JSON. */
    public String apiName() {
        return apiName;
    }

    /** True when tasks can be ordered by this field. */
    public boolean sortable() {
        return sortable;
    }

    /**
     * Looks a field up by its API name.
     *
     * @throws InvalidArgumentException listing the known fields when the name is unknown
     */
    public static TaskField parse(String name) {
        for (TaskField f : values()) {
            if (f.apiName.equals(name)) {
                return f;
            }
        }
        throw new InvalidArgumentException("unknown field '" + name + "'; known fields: "
                + Arrays.stream(values()).map(TaskField::apiName).collect(Collectors.joining(", ")));
    }

    /**
     * Looks a sortable field up by its API name.
     *
     * @throws InvalidArgumentException when unknown or not sortable, listing the sortable fields
     */
    public static TaskField parseSortable(String name) {
        TaskField f = parse(name);
        if (!f.sortable) {
            throw new InvalidArgumentException("cannot order by '" + name + "'; sortable fields: "
                    + Arrays.stream(values()).filter(TaskField::sortable).map(TaskField::apiName).collect(Collectors.joining(", ")));
        }
        return f;
    }
}
