package dev.reclaim.jdbc;

import dev.reclaim.model.Task;
import dev.reclaim.query.Page;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.query.TaskSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs task queries. One page is read with {@code LIMIT pageSize + 1} (offset or keyset), so
 * memory holds one page whatever the table size; the extra row only says whether there is more.
 */
final class QuerySql {
    private final Dialect dialect;

    QuerySql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The database's plan for one page of {@code q}, one line per step (SQLite's EXPLAIN QUERY PLAN). */
    List<String> plan(Connection c, TaskQuery q) throws SQLException {
        List<Object> params = new ArrayList<>();
        String sql = select(q, SortKey.of(q.orderBy()), params);
        return Sql.list(c, "EXPLAIN QUERY PLAN " + sql, rs -> rs.getString("detail"), params);
    }

    private String select(TaskQuery q, List<SortKey> keys, List<Object> params) {
        QueryBuilder where = QueryBuilder.where(dialect, q);
        if (q.cursor() != null) {
            where.after(keys, Cursor.decode(q.cursor(), keys));
        }
        StringBuilder sql = new StringBuilder("SELECT ").append(TaskRows.TASK_COLUMNS);
        for (int i = 0; i < keys.size(); i++) {
            sql.append(", ").append(keys.get(i).expression()).append(" AS sort_key_").append(i);
        }
        sql.append(" FROM tasks t").append(SortKey.readsUsage(keys) ? SortKey.USAGE_JOIN : "")
                .append(" WHERE ").append(where.sql()).append(" ORDER BY ").append(SortKey.orderBy(keys))
                .append(" LIMIT ?");
        params.addAll(where.params());
        params.add(q.pageSize() + 1);
        if (q.page() != null && q.page() > 0) {
            sql.append(" OFFSET ?");
            params.add((long) q.page() * q.pageSize());
        }
        return sql.toString();
    }

    Page<Task> query(Connection c, TaskQuery q) throws SQLException {
        List<SortKey> keys = SortKey.of(q.orderBy());
        List<Object> params = new ArrayList<>();
        String sql = select(q, keys, params);
        List<Task.Builder> rows = new ArrayList<>();
        List<Object> lastValues = null;
        boolean more = false;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, params);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == q.pageSize()) {
                        more = true;
                        break;
                    }
                    rows.add(TaskRows.task(rs));
                    lastValues = sortValues(rs, keys);
                }
            }
        }
        List<Task> tasks = TaskRows.complete(c, rows);
        return new Page<>(tasks, more ? Cursor.encode(keys, lastValues) : null);
    }

    long count(Connection c, TaskQuery q) throws SQLException {
        QueryBuilder where = QueryBuilder.where(dialect, q);
        return Sql.list(c, "SELECT COUNT(*) FROM tasks t WHERE " + where.sql(), rs -> rs.getLong(1), where.params()).get(0);
    }

    /**
     * Count and live bytes of the tasks matching {@code q}'s filters, in one statement so both
     * describe the same snapshot. Bytes come from task_usage (a key lookup per matching task), not
     * from summing their artifacts.
     */
    TaskSummary summarize(Connection c, TaskQuery q) throws SQLException {
        QueryBuilder where = QueryBuilder.where(dialect, q);
        // CAST: PostgreSQL's SUM of BIGINT is NUMERIC; the total of live bytes fits a BIGINT.
        return Sql.list(c, "SELECT COUNT(*), CAST(COALESCE(SUM(u.bytes), 0) AS BIGINT) FROM tasks t" + SortKey.USAGE_JOIN
                + " WHERE " + where.sql(), rs -> new TaskSummary(rs.getLong(1), rs.getLong(2)), where.params()).get(0);
    }

    private static List<Object> sortValues(ResultSet rs, List<SortKey> keys) throws SQLException {
        List<Object> values = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            int column = TaskRows.TASK_COLUMN_COUNT + 1 + i; // sort_key_i
            values.add(keys.get(i).numeric() ? (Object) rs.getLong(column) : rs.getString(column));
        }
        return values;
    }
}
