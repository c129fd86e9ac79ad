package dev.reclaim.jdbc;

import dev.reclaim.store.ExternalJobs.ExternalJob;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Jobs a cluster manager runs (V25): {@link dev.reclaim.store.ExternalJobs}, in the caller's transaction. */
final class ExternalJobSql {
    private static final String COLUMNS = "task_id, executor, monitor_id, external_id, state, reason, console_offset, "
            + "submitted_at, updated_at";

    private ExternalJobSql() {
    }

    static List<String> unsubmitted(Connection c, Collection<String> queues, int limit) throws SQLException {
        if (queues.isEmpty()) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(queues);
        params.add(limit);
        return Sql.list(c, "SELECT t.id FROM tasks t WHERE t.status = 'QUEUED' AND t.deleting_since IS NULL AND t.queue IN ("
                + Sql.marks(queues.size()) + ") AND NOT EXISTS (SELECT 1 FROM external_jobs e WHERE e.task_id = t.id) "
                + "ORDER BY t.id LIMIT ?", rs -> rs.getString(1), params);
    }

    static boolean claimStarted(Connection c, String taskId, String monitorId, Instant now, Instant leaseUntil)
            throws SQLException {
        return Sql.update(c, "UPDATE tasks SET status = 'RUNNING', worker_id = ?, started_at = ?, status_changed_at = ?, "
                + "last_update_at = ?, lease_expires_at = ?, ended_at = NULL, exit_code = NULL, error = NULL, "
                + "version = version + 1 WHERE id = ? AND status = 'QUEUED' AND deleting_since IS NULL", monitorId,
                Sql.ms(now), Sql.ms(now), Sql.ms(now), Sql.ms(leaseUntil), taskId) == 1;
    }

    static boolean take(Connection c, String taskId, String executor, String monitorId, Instant now) throws SQLException {
        return Sql.update(c, "INSERT INTO external_jobs (task_id, executor, monitor_id, submitted_at, updated_at) "
                + "SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM tasks WHERE id = ? AND status = 'QUEUED' "
                + "AND deleting_since IS NULL) ON CONFLICT (task_id) DO NOTHING", taskId, executor, monitorId, Sql.ms(now),
                Sql.ms(now), taskId) == 1;
    }

    static void submitted(Connection c, String taskId, String externalId, Instant now) throws SQLException {
        Sql.update(c, "UPDATE external_jobs SET external_id = ?, updated_at = ? WHERE task_id = ?", externalId, Sql.ms(now),
                taskId);
    }

    static void release(Connection c, String taskId) throws SQLException {
        Sql.update(c, "DELETE FROM external_jobs WHERE task_id = ? AND external_id IS NULL", taskId);
    }

    static void state(Connection c, String taskId, String state, String reason, Instant now) throws SQLException {
        Sql.update(c, "UPDATE external_jobs SET state = ?, reason = ?, updated_at = ? WHERE task_id = ?", Sql.text(state),
                Sql.text(reason), Sql.ms(now), taskId);
    }

    static void consoleOffset(Connection c, String taskId, long offset) throws SQLException {
        Sql.update(c, "UPDATE external_jobs SET console_offset = ? WHERE task_id = ?", offset, taskId);
    }

    static Optional<ExternalJob> find(Connection c, String taskId) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM external_jobs WHERE task_id = ?", ExternalJobSql::row, taskId);
    }

    static List<ExternalJob> active(Connection c, String executor, int limit) throws SQLException {
        return Sql.list(c, "SELECT e.task_id, e.executor, e.monitor_id, e.external_id, e.state, e.reason, e.console_offset, "
                + "e.submitted_at, e.updated_at FROM external_jobs e JOIN tasks t ON t.id = e.task_id WHERE e.executor = ? "
                + "AND t.status IN ('QUEUED', 'RUNNING') AND t.deleting_since IS NULL ORDER BY e.task_id LIMIT ?",
                ExternalJobSql::row, executor, limit);
    }

    static boolean adopt(Connection c, String taskId, String from, String to, Instant now, Instant leaseUntil)
            throws SQLException {
        if (Sql.update(c, "UPDATE external_jobs SET monitor_id = ?, updated_at = ? WHERE task_id = ? AND monitor_id = ?", to,
                Sql.ms(now), taskId, from) != 1) {
            return false;
        }
        Sql.update(c, "UPDATE tasks SET worker_id = ?, lease_expires_at = ?, version = version + 1 WHERE id = ? "
                + "AND status = 'RUNNING' AND worker_id = ? AND deleting_since IS NULL", to, Sql.ms(leaseUntil), taskId, from);
        return true;
    }

    static void forget(Connection c, String taskId) throws SQLException {
        Sql.update(c, "DELETE FROM external_jobs WHERE task_id = ?", taskId);
    }

    private static ExternalJob row(ResultSet rs) throws SQLException {
        return new ExternalJob(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), Sql.instant(rs, 8), Sql.instant(rs, 9));
    }
}
