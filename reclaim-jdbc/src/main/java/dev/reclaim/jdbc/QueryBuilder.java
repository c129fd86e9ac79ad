package dev.reclaim.jdbc;

import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TimeCondition;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Turns a {@link TaskQuery} into SQL: a WHERE clause over {@code tasks t} for its filters, and the
 * keyset predicate that continues after a cursor's row.
 */
final class QueryBuilder {
    private final Dialect dialect;
    private final StringBuilder sql = new StringBuilder("TRUE");
    private final List<Object> params = new ArrayList<>();

    private QueryBuilder(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The filters of {@code q} (paging ignored). */
    static QueryBuilder where(Dialect dialect, TaskQuery q) {
        QueryBuilder b = new QueryBuilder(dialect);
        b.in("t.id", q.ids());
        if (q.namePattern() != null) {
            b.and(dialect.regexp("t.name"), dialect.regexpPattern(q.namePattern()));
        }
        b.in("t.project", q.projects());
        b.in("t.status", q.statuses().stream().map(TaskStatus::name).toList());
        b.in("t.type", q.types());
        b.in("t.owner", q.owners());
        if (q.parentId() != null) {
            b.and("t.parent_id = ?", q.parentId());
        }
        b.tags(q.tags(), false);
        b.tags(q.systemTags(), true);
        b.times("t.status_changed_at", q.statusChanged());
        b.times("t.archived_at", q.archivedAt());
        b.times("t.created_at", q.created());
        if (q.onlyJobs()) {
            b.and("t.spec IS NOT NULL");
        }
        if (!q.includeDeleting()) {
            b.and("t.deleting_since IS NULL");
        }
        return b;
    }

    /**
     * Adds the keyset predicate: rows strictly after the row whose sort values are {@code after}
     * in the order {@code keys} (the last key is the unique id).
     */
    QueryBuilder after(List<SortKey> keys, List<Object> after) {
        boolean oneDirection = keys.stream().allMatch(k -> k.descending() == keys.get(0).descending());
        if (oneDirection) {
            // A row-value comparison lets the database seek in the (sort key, id) index to the cursor
            // instead of scanning every row before it: pages stay O(page size) at any depth. SQLite
            // seeks with it on plain columns but not on an expression index (COALESCE keys), so the
            // leading key is also bounded on its own: implied by the row value, and seekable.
            sql.append(" AND ").append(keys.get(0).expression()).append(keys.get(0).descending() ? " <= ?" : " >= ?");
            params.add(after.get(0));
            sql.append(" AND (").append(String.join(", ", keys.stream().map(SortKey::expression).toList()))
                    .append(keys.get(0).descending() ? ") < (" : ") > (")
                    .append(String.join(", ", Collections.nCopies(keys.size(), "?"))).append(")");
            params.addAll(after.subList(0, keys.size()));
            return this;
        }
        List<String> alternatives = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            StringBuilder alt = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                alt.append(keys.get(j).expression()).append(" = ? AND ");
                values.add(after.get(j));
            }
            alt.append(keys.get(i).expression()).append(keys.get(i).descending() ? " < ?" : " > ?").append(")");
            values.add(after.get(i));
            alternatives.add(alt.toString());
        }
        sql.append(" AND (").append(String.join(" OR ", alternatives)).append(")");
        params.addAll(values);
        return this;
    }

    /** Milliseconds since the epoch, rounded down, saturating instead of overflowing for far-away instants. */
    private static long floorMillis(Instant v) {
        try {
            return Math.addExact(Math.multiplyExact(v.getEpochSecond(), 1000L), v.getNano() / 1_000_000);
        } catch (ArithmeticException e) {
            return v.getEpochSecond() < 0 ? Long.MIN_VALUE + 1 : Long.MAX_VALUE;
        }
    }

    String sql() {
        return sql.toString();
    }

    List<Object> params() {
        return params;
    }

    private void and(String condition, Object... values) {
        sql.append(" AND ").append(condition);
        params.addAll(List.of(values));
    }

    private void in(String column, Collection<String> values) {
        if (!values.isEmpty()) {
            and(column + " IN (" + Sql.marks(values.size()) + ")", values.toArray());
        }
    }

    /** Plain tags: the task has any of them. {@code -tag}: the task has none of them. */
    private void tags(List<String> filters, boolean system) {
        List<String> any = filters.stream().filter(t -> !t.startsWith("-")).toList();
        List<String> none = filters.stream().filter(t -> t.startsWith("-")).map(t -> t.substring(1)).toList();
        String exists = "EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = t.id AND g.is_system = ? AND g.tag IN (";
        if (!any.isEmpty()) {
            List<Object> v = new ArrayList<>(List.of(system));
            v.addAll(any);
            and(exists + Sql.marks(any.size()) + "))", v.toArray());
            if (system && any.equals(List.of(Task.ARCHIVED))) {
                // Implied (every archived task has an archived_at, Task enforces it) and seekable in the
                // archived_at key index: without it, listing archived tasks by archived_at walked past
                // every unarchived task first, as they all sort at the NULL sentinel (~140 ms at 100,000).
                and(SortKey.ARCHIVED_AT_KEY + " > " + SortKey.MIN_MILLIS);
            }
        }
        if (!none.isEmpty()) {
            List<Object> v = new ArrayList<>(List.of(system));
            v.addAll(none);
            and("NOT " + exists + Sql.marks(none.size()) + "))", v.toArray());
        }
    }

    /**
     * Conditions on a millisecond column, ANDed. Stored instants are whole milliseconds, so a
     * condition with a sub-millisecond instant is rewritten to the equivalent one on whole
     * milliseconds (it then agrees with {@link TimeCondition#test} on the instants the store returns).
     * NULL satisfies no condition.
     */
    private void times(String column, List<TimeCondition> conditions) {
        for (TimeCondition c : conditions) {
            Instant v = c.value();
            long ms = floorMillis(v);
            boolean exact = v.getNano() % 1_000_000 == 0;
            if (exact) {
                and(column + " " + c.op().symbol() + " ?", ms);
            } else {
                switch (c.op()) {
                    case GT, GE -> and(column + " > ?", ms);
                    case LT, LE -> and(column + " <= ?", ms);
                    case EQ -> and("FALSE");
                }
            }
        }
    }
}
