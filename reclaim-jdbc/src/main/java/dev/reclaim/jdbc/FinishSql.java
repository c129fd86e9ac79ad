package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.FinishResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Step 4 of the deletion protocol (finish, with its audit record) and the lists resume needs. */
final class FinishSql {
    private final Dialect dialect;

    FinishSql(Dialect dialect) {
        this.dialect = dialect;
    }

    private record Head(String name, String project, Instant deletingSince, String actor, String reason, String action) {
    }

    Optional<FinishResult> finish(Connection c, String taskId, Instant at) throws SQLException {
        Optional<Head> found = Sql.one(c, "SELECT name, project, deleting_since, delete_actor, delete_reason, delete_action "
                + "FROM tasks WHERE id = ?" + dialect.forUpdate(), rs -> new Head(rs.getString("name"),
                rs.getString("project"), Sql.instant(rs, "deleting_since"), rs.getString("delete_actor"),
                rs.getString("delete_reason"), rs.getString("delete_action")), taskId);
        if (found.isEmpty()
                || Sql.exists(c, "SELECT 1 FROM pending_deletes WHERE task_id = ? AND state = 'OPEN'", taskId)) {
            return Optional.empty();
        }
        Head head = found.get();
        boolean whole = head.deletingSince() != null;
        long artifacts = Sql.count(c, "SELECT COUNT(*) FROM artifacts WHERE task_id = ? AND state = 'DELETING'", taskId);
        long[] done = Sql.list(c, "SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM pending_deletes "
                + "WHERE task_id = ? AND state = 'DONE'", rs -> new long[]{rs.getLong(1), rs.getLong(2)}, taskId).get(0);
        if (!whole && artifacts == 0 && done[0] == 0) {
            return Optional.empty();
        }
        // tasks using a removed artifact as input are themselves being deleted (live users keep the model)
        Sql.update(c, "DELETE FROM task_inputs WHERE artifact_id IN "
                + "(SELECT id FROM artifacts WHERE task_id = ? AND state = 'DELETING')", taskId);
        Sql.update(c, "DELETE FROM artifacts WHERE task_id = ? AND state = 'DELETING'", taskId);
        Sql.update(c, "DELETE FROM pending_deletes WHERE task_id = ? AND state = 'DONE'", taskId);
        String action = head.action() != null ? head.action() : whole ? "delete-task" : "delete-artifacts";
        if (whole) {
            deleteTaskRow(c, taskId, at);
        } else {
            Sql.update(c, "UPDATE tasks SET delete_actor = NULL, delete_reason = NULL, delete_action = NULL WHERE id = ?",
                    taskId);
        }
        Sql.update(c, "INSERT INTO audit (at, actor, action, task_id, task_name, project, reason, objects, bytes) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", Sql.ms(at), Sql.text(head.actor()), action, taskId,
                Sql.text(head.name()), Sql.text(head.project()), Sql.text(head.reason()), done[0], done[1]);
        return Optional.of(new FinishResult(taskId, whole, (int) artifacts, done[0], done[1]));
    }

    private static void deleteTaskRow(Connection c, String taskId, Instant at) throws SQLException {
        long left = Sql.count(c, "SELECT COUNT(*) FROM artifacts WHERE task_id = ?", taskId);
        if (left > 0) {
            throw new StoreException("task " + taskId + " still has " + left
                    + " artifact(s) that were not marked for deletion; its record is kept");
        }
        // children created after the mark still pointed here
        DeletionSql.repointChildren(c, taskId, at);
        Sql.update(c, "DELETE FROM task_tags WHERE task_id = ?", taskId);
        Sql.update(c, "DELETE FROM task_inputs WHERE task_id = ?", taskId);
        Sql.update(c, "DELETE FROM console_chunks WHERE task_id = ?", taskId);
        Sql.update(c, "DELETE FROM tasks WHERE id = ?", taskId);
    }

    static List<String> unfinished(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT id FROM (SELECT id FROM tasks WHERE deleting_since IS NOT NULL UNION "
                + "SELECT task_id AS id FROM artifacts WHERE state = 'DELETING' AND task_id IS NOT NULL) u "
                + "ORDER BY id LIMIT ?", rs -> rs.getString(1), Math.max(0, limit));
    }

    static List<AuditRecord> audit(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT at, actor, action, task_id, task_name, project, reason, objects, bytes FROM audit "
                + "ORDER BY at DESC, id DESC LIMIT ?", rs -> new AuditRecord(Sql.instant(rs, "at"), rs.getString("actor"),
                rs.getString("action"), rs.getString("task_id"), rs.getString("task_name"), rs.getString("project"),
                rs.getString("reason"), rs.getLong("objects"), rs.getLong("bytes")), Math.max(0, limit));
    }
}
