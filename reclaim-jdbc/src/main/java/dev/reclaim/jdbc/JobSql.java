package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.TaskNotFoundException;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Claiming, leasing and ending jobs, and their console output. Every method runs in a write transaction. */
final class JobSql {
    private final Dialect dialect;
    private final TaskSql tasks;

    JobSql(Dialect dialect, TaskSql tasks) {
        this.dialect = dialect;
        this.tasks = tasks;
    }

    /**
     * Picks the oldest QUEUED live task of the queues and moves it to RUNNING under a conditional
     * UPDATE: even where write transactions are not serialized, only one claimer's update matches.
     */
    Optional<Task> claim(Connection c, Collection<String> queues, String workerId, Instant now, Instant leaseUntil)
            throws SQLException {
        return claim(c, queues, workerId, now, leaseUntil, 1).stream().findFirst();
    }

    /**
     * Picks up to {@code limit} of the oldest QUEUED live tasks of the queues and moves each to RUNNING
     * under a conditional UPDATE, as {@link #claim(Connection, Collection, String, Instant, Instant)}
     * does for one; returns those this claimer's update matched, oldest first, as they are now.
     */
    List<Task> claim(Connection c, Collection<String> queues, String workerId, Instant now, Instant leaseUntil, int limit)
            throws SQLException {
        if (queues.isEmpty() || limit < 1) {
            return List.of();
        }
        List<Object> params = new ArrayList<>(queues);
        params.add(limit);
        List<String> ids = Sql.list(c, "SELECT t.id FROM tasks t WHERE t.status = 'QUEUED' AND t.deleting_since IS NULL "
                + "AND t.queue IN (" + Sql.marks(queues.size()) + ") ORDER BY t.id LIMIT ?" + dialect.claimLock(),
                rs -> rs.getString(1), params);
        if (ids.isEmpty()) {
            return List.of();
        }
        List<String> claimed = new ArrayList<>(ids.size());
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = 'RUNNING', worker_id = ?, started_at = ?, "
                + "status_changed_at = ?, last_update_at = ?, lease_expires_at = ?, ended_at = NULL, exit_code = NULL, "
                + "error = NULL, version = version + 1 WHERE id = ? AND status = 'QUEUED' AND deleting_since IS NULL")) {
            for (String id : ids) {
                Sql.bind(ps, List.of(workerId, Sql.ms(now), Sql.ms(now), Sql.ms(now), Sql.ms(leaseUntil), id));
                if (ps.executeUpdate() == 1) {
                    claimed.add(id);
                }
            }
        }
        if (claimed.isEmpty()) {
            return List.of();
        }
        List<Task.Builder> rows = Sql.list(c, "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks t WHERE t.id IN ("
                + Sql.marks(claimed.size()) + ") ORDER BY t.id", TaskRows::task, claimed);
        return TaskRows.complete(c, rows);
    }

    /** Extends leases of live RUNNING tasks held by the worker; each renewal is a write and bumps the version. */
    Set<String> renew(Connection c, String workerId, Collection<String> taskIds, Instant leaseUntil) throws SQLException {
        Set<String> renewed = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET lease_expires_at = ?, version = version + 1 "
                + "WHERE id = ? AND status = 'RUNNING' AND worker_id = ? AND deleting_since IS NULL")) {
            for (String id : new LinkedHashSet<>(taskIds)) {
                Sql.bind(ps, List.of(Sql.ms(leaseUntil), id, workerId));
                if (ps.executeUpdate() == 1) {
                    renewed.add(id);
                }
            }
        }
        return renewed;
    }

    boolean finish(Connection c, String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                   Collection<String> pendingArtifactIds, Instant now) throws SQLException {
        if (!finalStatus.isEnded()) {
            throw new InvalidArgumentException("a job ends as COMPLETED, FAILED, CANCELED or PUBLISHED, not " + finalStatus);
        }
        int ended = Sql.update(c, "UPDATE tasks SET status = ?, ended_at = ?, exit_code = ?, error = ?, lease_expires_at = NULL, "
                        + "status_changed_at = ?, last_update_at = ?, version = version + 1 "
                        + "WHERE id = ? AND status = 'RUNNING' AND worker_id = ? AND deleting_since IS NULL",
                finalStatus.name(), Sql.ms(now), Sql.integer(exitCode), Sql.text(error), Sql.ms(now), Sql.ms(now), taskId,
                workerId);
        if (ended == 0) {
            return false;
        }
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(pendingArtifactIds))) {
            List<Object> params = new ArrayList<>();
            params.add(taskId);
            params.addAll(chunk);
            Sql.update(c, "UPDATE artifacts SET state = 'LIVE' WHERE task_id = ? AND state = 'PENDING' AND id IN ("
                    + Sql.marks(chunk.size()) + ")", params.toArray());
        }
        if (finalStatus == TaskStatus.PUBLISHED) {
            ArtifactSql.publishModelsOf(c, taskId); // as publishing does: a published task has no unpublished model
        }
        return true;
    }

    /** {@link #finish}, recording what was stored for each artifact made LIVE. */
    boolean finish(Connection c, String taskId, String workerId, TaskStatus finalStatus, Integer exitCode, String error,
                   Map<String, StoredObject> stored, Instant now) throws SQLException {
        if (!finish(c, taskId, workerId, finalStatus, exitCode, error, stored.keySet(), now)) {
            return false;
        }
        ArtifactSql.recordContent(c, taskId, stored);
        return true;
    }

    /** Locks the task row where rows are locked: two concurrent appends would otherwise take the same sequence number. */
    void appendConsole(Connection c, String taskId, String text) throws SQLException {
        if (!Sql.exists(c, "SELECT 1 FROM tasks WHERE id = ?" + dialect.forUpdate(), taskId)) {
            throw new TaskNotFoundException(taskId);
        }
        Sql.update(c, "INSERT INTO console_chunks (task_id, seq, text) "
                + "SELECT ?, COALESCE(MAX(seq), 0) + 1, ? FROM console_chunks WHERE task_id = ?", taskId, text, taskId);
    }

    static String readConsole(Connection c, String taskId) throws SQLException {
        StringBuilder out = new StringBuilder();
        try (PreparedStatement ps = c.prepareStatement("SELECT text FROM console_chunks WHERE task_id = ? ORDER BY seq")) {
            ps.setString(1, taskId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.append(rs.getString(1));
                }
            }
        }
        return out.toString();
    }
}
