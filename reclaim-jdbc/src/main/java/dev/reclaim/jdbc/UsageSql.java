package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.StorageUsage.AgeBucket;
import dev.reclaim.store.StorageUsage.Dimension;
import dev.reclaim.store.StorageUsage.Group;
import dev.reclaim.store.StorageUsage.TaskSize;
import dev.reclaim.store.StorageUsage.UsageQuery;
import dev.reclaim.store.StorageUsage.UsageDay;
import dev.reclaim.store.StorageUsage.UsageReport;
import dev.reclaim.usage.UsageReports;
import dev.reclaim.InvalidArgumentException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Storage usage (V21): the triggers keep it; this reads it, folds its log, and checks or rebuilds
 * it from the artifact records.
 */
final class UsageSql {
    private static final String COLUMNS = "project, kind, status, archived, owner, created_day";
    private static final String KEPT = "SELECT " + COLUMNS + ", objects, bytes FROM usage_totals UNION ALL SELECT "
            + COLUMNS + ", objects, bytes FROM usage_log";
    /**
     * The usage the artifact records say, at the grain of usage_totals: LIVE artifacts of tasks not
     * being deleted, and detached models.
     */
    private static final String RECOUNT = "SELECT COALESCE(t.project, '') AS project, a.kind AS kind, "
            + "COALESCE(t.status, 'DETACHED') AS status, COALESCE(t.archived_at IS NOT NULL, FALSE) AS archived, "
            + "COALESCE(t.owner, '') AS owner, COALESCE(t.created_at, a.created_at) / 86400000 AS created_day, "
            + "COUNT(*) AS objects, SUM(a.size_bytes) AS bytes FROM artifacts a LEFT JOIN tasks t ON t.id = a.task_id "
            + "WHERE a.state = 'LIVE' AND (a.task_id IS NULL OR (t.id IS NOT NULL AND t.deleting_since IS NULL)) "
            + "GROUP BY COALESCE(t.project, ''), a.kind, "
            + "COALESCE(t.status, 'DETACHED'), COALESCE(t.archived_at IS NOT NULL, FALSE), COALESCE(t.owner, ''), "
            + "COALESCE(t.created_at, a.created_at) / 86400000";
    private static final String TASK_RECOUNT = "SELECT a.task_id AS task_id, COUNT(*) AS objects, SUM(a.size_bytes) AS bytes "
            + "FROM artifacts a JOIN tasks t ON t.id = a.task_id WHERE a.state = 'LIVE' AND t.deleting_since IS NULL "
            + "GROUP BY a.task_id";
    /** Second half of the advisory lock key compactions take on PostgreSQL ("USAG"). */
    private static final int COMPACTION_LOCK = 0x55534147;
    private static final long DAY_MS = 86_400_000L;

    private final Dialect dialect;

    UsageSql(Dialect dialect) {
        this.dialect = dialect;
    }

    UsageReport report(Connection c, UsageQuery q) throws SQLException {
        List<String> cols = q.by().stream().map(UsageSql::column).toList();
        String sql = "SELECT " + (cols.isEmpty() ? "" : String.join(", ", cols) + ", ") + "SUM(objects) AS o, SUM(bytes) AS b "
                + "FROM (" + KEPT + ") u" + (cols.isEmpty() ? "" : " GROUP BY " + String.join(", ", cols));
        long today = q.now().toEpochMilli() / DAY_MS;
        Map<List<String>, long[]> groups = new LinkedHashMap<>();
        Sql.list(c, sql, rs -> {
            List<String> key = new ArrayList<>();
            for (int i = 0; i < q.by().size(); i++) {
                key.add(value(q.by().get(i), rs, i + 1, today));
            }
            long[] t = groups.computeIfAbsent(key, k -> new long[2]);
            t[0] += rs.getLong("o");
            t[1] += rs.getLong("b");
            return null;
        });
        List<Group> out = new ArrayList<>();
        long objects = 0;
        long bytes = 0;
        for (Map.Entry<List<String>, long[]> e : groups.entrySet()) {
            objects += e.getValue()[0];
            bytes += e.getValue()[1];
            if (e.getValue()[0] != 0 || e.getValue()[1] != 0) {
                out.add(new Group(e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
        }
        out.sort(LARGEST_FIRST);
        List<TaskSize> topTasks = q.top() == 0 ? List.of() : Sql.list(c, "SELECT u.task_id, t.name, t.project, u.objects, "
                + "u.bytes FROM task_usage u JOIN tasks t ON t.id = u.task_id WHERE u.bytes > 0 "
                + "ORDER BY u.bytes DESC, u.task_id DESC LIMIT ?", rs -> new TaskSize(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getLong(4), rs.getLong(5)), q.top());
        List<Group> topProjects = q.top() == 0 ? List.of() : Sql.list(c, "SELECT project, SUM(objects), SUM(bytes) FROM ("
                + KEPT + ") u GROUP BY project HAVING SUM(bytes) > 0 ORDER BY SUM(bytes) DESC, project LIMIT ?",
                rs -> new Group(List.of(rs.getString(1)), rs.getLong(2), rs.getLong(3)), q.top());
        return new UsageReport(q.by(), out, objects, bytes, topTasks, topProjects);
    }

    /**
     * Day by day usage: what is stored now, by creation day, is counted from that day on; each
     * deletion the audit recorded since the window began is counted back from its creation day to
     * the day before its deletion. Two grouped reads (the kept totals, the window's audit lines
     * through their time index), then a difference array over the days.
     */
    List<UsageDay> history(Connection c, int days, Instant now) throws SQLException {
        if (days < 1 || days > UsageReports.MAX_HISTORY_DAYS) {
            throw new InvalidArgumentException("days must be 1.." + UsageReports.MAX_HISTORY_DAYS + ", not " + days);
        }
        long last = now.toEpochMilli() / DAY_MS;
        long first = last - days + 1;
        // [0..days) objects and bytes stored; index days holds nothing (the end of a difference)
        long[] objects = new long[days + 1];
        long[] bytes = new long[days + 1];
        long[] added = new long[days];
        long[] freed = new long[days];
        Sql.list(c, "SELECT created_day, SUM(objects), SUM(bytes) FROM (" + KEPT + ") u GROUP BY created_day", rs -> {
            long day = rs.getLong(1);
            int from = (int) Math.max(0, Math.min(days, day - first));
            objects[from] += rs.getLong(2);
            bytes[from] += rs.getLong(3);
            if (day >= first && day <= last) {
                added[(int) (day - first)] += rs.getLong(3);
            }
            return null;
        });
        Sql.list(c, "SELECT at / " + DAY_MS + ", COALESCE(task_created_at, 0) / " + DAY_MS + ", SUM(objects), SUM(bytes) "
                + "FROM audit WHERE at >= ? GROUP BY at / " + DAY_MS + ", COALESCE(task_created_at, 0) / " + DAY_MS, rs -> {
            long deletedDay = rs.getLong(1);
            long createdDay = rs.getLong(2);
            int from = (int) Math.max(0, Math.min(days, createdDay - first));
            int to = (int) Math.max(from, Math.min(days, deletedDay - first));
            objects[from] += rs.getLong(3);
            objects[to] -= rs.getLong(3);
            bytes[from] += rs.getLong(4);
            bytes[to] -= rs.getLong(4);
            if (deletedDay <= last) {
                freed[(int) (deletedDay - first)] += rs.getLong(4);
            }
            if (createdDay >= first && createdDay <= last) {
                added[(int) (createdDay - first)] += rs.getLong(4);
            }
            return null;
        }, first * DAY_MS);
        List<UsageDay> out = new ArrayList<>(days);
        long o = 0;
        long b = 0;
        for (int i = 0; i < days; i++) {
            o += objects[i];
            b += bytes[i];
            out.add(new UsageDay(LocalDate.ofEpochDay(first + i), o, b, added[i], freed[i]));
        }
        return out;
    }

    private static final Comparator<Group> LARGEST_FIRST = Comparator.comparingLong(Group::bytes).reversed()
            .thenComparing(Comparator.comparingLong(Group::objects).reversed())
            .thenComparing(g -> String.join("\u0000", g.key()));

    private static String column(Dimension d) {
        return switch (d) {
            case PROJECT -> "project";
            case KIND -> "kind";
            case STATUS -> "status";
            case ARCHIVED -> "archived";
            case OWNER -> "owner";
            case AGE -> "created_day";
        };
    }

    private static String value(Dimension d, ResultSet rs, int column, long today) throws SQLException {
        return switch (d) {
            case ARCHIVED -> String.valueOf(rs.getBoolean(column));
            case AGE -> AgeBucket.of(rs.getLong(column), today).label();
            default -> rs.getString(column);
        };
    }

    /**
     * Folds the log into the totals, on PostgreSQL in one statement (one snapshot) under a lock that
     * orders compactions, and drops the totals that came to nothing. SQLite's triggers add to the
     * totals directly and never write the log, so there it only drops those.
     */
    void compact(Connection c) throws SQLException {
        if (dialect.locksRows()) {
            Sql.list(c, dialect.lockStorageKey(), rs -> null, COMPACTION_LOCK);
            Sql.update(c, "WITH moved AS (DELETE FROM usage_log RETURNING " + COLUMNS + ", objects, bytes) "
                    + "INSERT INTO usage_totals (" + COLUMNS + ", objects, bytes) SELECT " + COLUMNS
                    + ", SUM(objects), SUM(bytes) FROM moved GROUP BY " + COLUMNS + " ON CONFLICT (" + COLUMNS
                    + ") DO UPDATE SET objects = usage_totals.objects + excluded.objects, "
                    + "bytes = usage_totals.bytes + excluded.bytes");
        }
        Sql.update(c, "DELETE FROM usage_totals WHERE objects = 0 AND bytes = 0");
    }

    /**
     * Differences between what is kept and a recount, the first {@code limit}: each compared in one
     * statement (one snapshot, so writers meanwhile cause no false difference) that stacks both
     * sides and groups them, linear in their rows.
     */
    List<String> check(Connection c, int limit) throws SQLException {
        String sides = "SELECT " + COLUMNS + ", objects AS ko, bytes AS kb, 0 AS ro, 0 AS rb FROM usage_totals UNION ALL "
                + "SELECT " + COLUMNS + ", objects, bytes, 0, 0 FROM usage_log UNION ALL SELECT " + COLUMNS
                + ", 0, 0, objects, bytes FROM (" + RECOUNT + ") r";
        String differs = " HAVING SUM(ko) <> SUM(ro) OR SUM(kb) <> SUM(rb) LIMIT ?";
        List<String> problems = new ArrayList<>(Sql.list(c, "SELECT " + COLUMNS + ", SUM(ko), SUM(kb), SUM(ro), SUM(rb) FROM ("
                        + sides + ") s GROUP BY " + COLUMNS + differs,
                rs -> "usage of " + groupKey(rs) + " is kept as " + rs.getLong(7) + " object(s), " + rs.getLong(8)
                        + " bytes; the records say " + rs.getLong(9) + ", " + rs.getLong(10), limit));
        problems.addAll(Sql.list(c, "SELECT task_id, SUM(ko), SUM(kb), SUM(ro), SUM(rb) FROM (SELECT task_id, objects AS ko, "
                        + "bytes AS kb, 0 AS ro, 0 AS rb FROM task_usage UNION ALL SELECT task_id, 0, 0, objects, bytes FROM ("
                        + TASK_RECOUNT + ") r) s GROUP BY task_id" + differs,
                rs -> "size of task " + rs.getString(1) + " is kept as " + rs.getLong(2) + " object(s), " + rs.getLong(3)
                        + " bytes; its records say " + rs.getLong(4) + ", " + rs.getLong(5),
                Math.max(0, limit - problems.size())));
        return problems;
    }

    private static String groupKey(ResultSet rs) throws SQLException {
        return "project '" + rs.getString("project") + "', kind " + rs.getString("kind") + ", status "
                + rs.getString("status") + ", " + (rs.getBoolean("archived") ? "archived" : "not archived") + ", owner '"
                + rs.getString("owner") + "', created on day " + rs.getLong("created_day");
    }

    /**
     * Rebuilds what is kept from the artifact records. On PostgreSQL the artifact and task tables are
     * locked against writers for the moment it takes, so no change lands between the recount and
     * the swap.
     */
    void repair(Connection c) throws SQLException {
        if (dialect.locksRows()) {
            try (Statement st = c.createStatement()) {
                st.execute("LOCK TABLE tasks, artifacts IN SHARE MODE");
            }
            Sql.list(c, dialect.lockStorageKey(), rs -> null, COMPACTION_LOCK);
        }
        Sql.update(c, "DELETE FROM usage_log");
        Sql.update(c, "DELETE FROM usage_totals");
        Sql.update(c, "DELETE FROM task_usage");
        Sql.update(c, "INSERT INTO usage_totals (" + COLUMNS + ", objects, bytes) " + RECOUNT);
        Sql.update(c, "INSERT INTO task_usage (task_id, objects, bytes) " + TASK_RECOUNT);
    }
}
