package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.FinishResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Step 4 of the deletion protocol (finish, with its audit record) and the lists resume needs. */
final class FinishSql {
    /** No entries removed before finishing; read, never written. */
    private static final long[] NONE = {0, 0};

    private final Dialect dialect;

    FinishSql(Dialect dialect) {
        this.dialect = dialect;
    }

    private record Head(String name, String project, Instant deletingSince, String actor, String reason, String action) {
    }

    /** {@link dev.reclaim.store.TaskStore#finishDeletions(Collection, Collection, Instant)}, in the caller's transaction. */
    List<FinishResult> finishAll(Connection c, Collection<String> taskIds, Collection<Long> deletedEntryIds, Instant at)
            throws SQLException {
        Map<String, long[]> removed = removeFinishedEntries(c, taskIds, deletedEntryIds);
        List<FinishResult> results = new ArrayList<>(taskIds.size());
        for (String id : taskIds) {
            finish(c, id, at, removed.getOrDefault(id, NONE)).ifPresent(results::add);
        }
        return results;
    }

    /**
     * Of the entries whose objects are gone, removes those of tasks that have no other open entry
     * (they finish next, in this transaction) and records the rest as done.
     *
     * @return objects and bytes removed, per task
     */
    private static Map<String, long[]> removeFinishedEntries(Connection c, Collection<String> taskIds,
                                                             Collection<Long> deletedEntryIds) throws SQLException {
        Map<String, long[]> removed = new HashMap<>();
        if (deletedEntryIds.isEmpty()) {
            return removed;
        }
        Set<Long> deleted = new HashSet<>(deletedEntryIds);
        Map<String, List<Long>> openByTask = new HashMap<>();
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(taskIds))) {
            Sql.list(c, "SELECT id, task_id FROM pending_deletes WHERE state = 'OPEN' AND task_id IN ("
                    + Sql.marks(chunk.size()) + ")", rs -> openByTask.computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                    .add(rs.getLong(1)), chunk);
        }
        List<Long> remove = new ArrayList<>();
        for (List<Long> open : openByTask.values()) {
            if (deleted.containsAll(open)) {
                remove.addAll(open);
            }
        }
        Set<Long> done = new HashSet<>(deleted);
        remove.forEach(done::remove);
        PurgeSql.complete(c, done);
        for (List<Long> chunk : Sql.chunks(remove)) {
            // counted from the rows removed: another process may have completed some meanwhile,
            // and then finish counts them among the done ones
            Sql.list(c, "DELETE FROM pending_deletes WHERE state = 'OPEN' AND id IN (" + Sql.marks(chunk.size())
                    + ") RETURNING task_id, size_bytes", rs -> {
                long[] sum = removed.computeIfAbsent(rs.getString(1), k -> new long[2]);
                sum[0]++;
                sum[1] += rs.getLong(2);
                return null;
            }, chunk);
        }
        return removed;
    }

    Optional<FinishResult> finish(Connection c, String taskId, Instant at) throws SQLException {
        return finish(c, taskId, at, NONE);
    }

    /** @param removed objects and bytes of the task's entries removed in this transaction before finishing */
    private Optional<FinishResult> finish(Connection c, String taskId, Instant at, long[] removed) throws SQLException {
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
                + "WHERE task_id = ? AND state = 'DONE'", rs -> new long[]{rs.getLong(1) + removed[0], rs.getLong(2) + removed[1]},
                taskId).get(0);
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
