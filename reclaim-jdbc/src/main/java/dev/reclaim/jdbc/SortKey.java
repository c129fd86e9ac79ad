package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.query.Order;
import dev.reclaim.query.TaskField;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * One key of a query's ordering as SQL. Nullable columns are ordered by
 * {@code COALESCE(column, sentinel)}, the same expression the keyset predicate compares, so NULLs
 * page correctly: they sort before every value ascending and after every value descending.
 *
 * @param expression SQL expression ordered by (never NULL)
 * @param numeric    true for BIGINT keys, false for text keys
 * @param descending sort direction
 * @param apiName    the field's API name, for the cursor's ordering signature
 */
record SortKey(String expression, boolean numeric, boolean descending, String apiName) {
    /** What a NULL instant sorts as (Long.MIN_VALUE + 1, written so every database reads an integer). */
    static final String MIN_MILLIS = "-9223372036854775807";
    /** The archived_at key, as the {@code ix_tasks_key_archived_at} index is defined. */
    static final String ARCHIVED_AT_KEY = "COALESCE(t.archived_at, " + MIN_MILLIS + ")";
    /**
     * Joins each task's row of {@code task_usage} (bytes of its LIVE artifacts, kept by triggers) as
     * {@code u}; at most one row per task, as task_id is its key. A task without a row has none yet.
     */
    static final String USAGE_JOIN = " LEFT JOIN task_usage u ON u.task_id = t.id";
    /**
     * The size key: a task without a task_usage row has 0 bytes. No index serves it (it spans two
     * tables, and an index on task_usage alone would miss the tasks without a row), so ordering by
     * size sorts every matching task; keyset paging still reads one page (top-N sort after the
     * cursor's bound).
     */
    static final String SIZE_KEY = "COALESCE(u.bytes, 0)";

    /**
     * The query's ordering with the id as final tie-breaker, ascending unless the last key is
     * descending. Keys after the id and repeated fields are dropped: they cannot change the order.
     */
    static List<SortKey> of(List<Order> orderBy) {
        List<SortKey> keys = new ArrayList<>();
        Set<TaskField> seen = EnumSet.noneOf(TaskField.class);
        for (Order o : orderBy) {
            if (!seen.add(o.field())) {
                continue;
            }
            keys.add(of(o.field(), o.descending()));
            if (o.field() == TaskField.ID) {
                return keys;
            }
        }
        boolean lastDescending = !keys.isEmpty() && keys.get(keys.size() - 1).descending();
        keys.add(of(TaskField.ID, lastDescending));
        return keys;
    }

    /** The ordering signature stored in cursors, e.g. {@code -archived_at,-id}. */
    static String signature(List<SortKey> keys) {
        return String.join(",", keys.stream().map(k -> (k.descending ? "-" : "") + k.apiName).toList());
    }

    /** True when a key reads {@code u} of {@link #USAGE_JOIN}, which the query must then join. */
    static boolean readsUsage(List<SortKey> keys) {
        return keys.stream().anyMatch(k -> k.expression.equals(SIZE_KEY));
    }

    /** {@code ORDER BY} list. */
    static String orderBy(List<SortKey> keys) {
        return String.join(", ", keys.stream().map(k -> k.expression + (k.descending ? " DESC" : " ASC")).toList());
    }

    private static SortKey of(TaskField f, boolean desc) {
        return switch (f) {
            case ID -> new SortKey("t.id", false, desc, f.apiName());
            case NAME -> new SortKey("t.name", false, desc, f.apiName());
            case PROJECT -> new SortKey("t.project", false, desc, f.apiName());
            case TYPE -> new SortKey("COALESCE(t.type, '')", false, desc, f.apiName());
            case OWNER -> new SortKey("COALESCE(t.owner, '')", false, desc, f.apiName());
            case STATUS -> new SortKey("t.status", false, desc, f.apiName());
            case CREATED -> new SortKey("t.created_at", true, desc, f.apiName());
            case STARTED -> new SortKey("COALESCE(t.started_at, " + MIN_MILLIS + ")", true, desc, f.apiName());
            case ENDED -> new SortKey("COALESCE(t.ended_at, " + MIN_MILLIS + ")", true, desc, f.apiName());
            case STATUS_CHANGED -> new SortKey("t.status_changed_at", true, desc, f.apiName());
            case LAST_UPDATE -> new SortKey("t.last_update_at", true, desc, f.apiName());
            case ARCHIVED_AT -> new SortKey(ARCHIVED_AT_KEY, true, desc, f.apiName());
            case SIZE -> new SortKey(SIZE_KEY, true, desc, f.apiName());
            default -> throw new InvalidArgumentException("cannot order by '" + f.apiName() + "'");
        };
    }
}
