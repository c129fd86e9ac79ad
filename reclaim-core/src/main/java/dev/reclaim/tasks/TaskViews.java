package dev.reclaim.tasks;

import dev.reclaim.model.Task;
import dev.reclaim.query.TaskField;

import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A task as the API shows it: a map of field name to value, optionally projected to some fields. */
public final class TaskViews {
    private TaskViews() {
    }

    /**
     * The task's fields by API name, in {@link TaskField} order; only {@code onlyFields} when not
     * empty (the id is always included). Null values and fields that are never shown
     * ({@link TaskField#shown()}) are left out.
     */
    public static Map<String, Object> view(Task t, Collection<TaskField> onlyFields) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (TaskField f : TaskField.values()) {
            if (f.shown() && (f == TaskField.ID || onlyFields.isEmpty() || onlyFields.contains(f))) {
                Object v = value(t, f);
                if (v != null) {
                    m.put(f.apiName(), v);
                }
            }
        }
        return m;
    }

    /**
     * The value of one field of a task (instants as ISO-8601 strings); null for {@link TaskField#SIZE},
     * which the store keeps, not the task.
     */
    public static Object value(Task t, TaskField f) {
        Object v = switch (f) {
            case ID -> t.id();
            case NAME -> t.name();
            case PROJECT -> t.project();
            case TYPE -> t.type();
            case OWNER -> t.owner();
            case STATUS -> t.status().name();
            case TAGS -> List.copyOf(t.tags());
            case SYSTEM_TAGS -> List.copyOf(t.systemTags());
            case CREATED -> t.createdAt();
            case STARTED -> t.startedAt();
            case ENDED -> t.endedAt();
            case STATUS_CHANGED -> t.statusChangedAt();
            case LAST_UPDATE -> t.lastUpdateAt();
            case ARCHIVED_AT -> t.archivedAt();
            case RESULTS_RETRIEVED_AT -> t.resultsRetrievedAt();
            case PARENT -> t.parentId();
            case INPUT_MODELS -> t.inputModels();
            case QUEUE -> t.queue();
            case WORKER -> t.workerId();
            case EXIT_CODE -> t.exitCode();
            case ERROR -> t.error();
            case PARAMS -> t.params().isEmpty() ? null : t.params();
            case SIZE -> null;
        };
        return v instanceof Instant i ? IsoInstants.format(i) : v;
    }
}
