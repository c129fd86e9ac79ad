package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.model.Task;
import dev.reclaim.store.AuditPage;
import dev.reclaim.store.AuditQuery;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.FinishResult;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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

    private record Head(String name, String project, Instant createdAt, Instant deletingSince, String actor, String reason,
                        String action, String runId) {
    }

    /** {@link dev.reclaim.store.TaskStore#finishDeletions(Collection, Collection, Instant)}, in the caller's transaction. */
    List<FinishResult> finishAll(Connection c, Collection<String> taskIds, Collection<Long> deletedEntryIds, Instant at)
            throws SQLException {
        Map<String, long[]> removed = removeFinishedEntries(c, taskIds, deletedEntryIds);
        List<FinishResult> results = new ArrayList<>(taskIds.size());
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(taskIds))) {
            results.addAll(finishChunk(c, chunk, at, removed));
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
                    + ") RETURNING task_id, size_bytes, objects", rs -> {
                long[] sum = removed.computeIfAbsent(rs.getString(1), k -> new long[2]);
                sum[0] += rs.getLong(3);
                sum[1] += rs.getLong(2);
                return null;
            }, chunk);
        }
        return removed;
    }

    Optional<FinishResult> finish(Connection c, String taskId, Instant at) throws SQLException {
        return finishChunk(c, List.of(taskId), at, Map.of()).stream().findFirst();
    }

    /**
     * Finishes the tasks of {@code ids} (at most {@link Sql#CHUNK}, no duplicates) that have no
     * OPEN queue entry left, with a fixed number of statements whatever their count: a page of a
     * cleanup run costs the writer a few set-based statements, not a dozen per task.
     *
     * @param removed objects and bytes of each task's entries removed in this transaction before finishing
     * @return one result per finished task, in the order of {@code ids}
     */
    private List<FinishResult> finishChunk(Connection c, List<String> ids, Instant at, Map<String, long[]> removed)
            throws SQLException {
        String in = " IN (" + Sql.marks(ids.size()) + ")";
        Map<String, Head> heads = new HashMap<>();
        // ORDER BY id: concurrent finishers lock rows in one order, so they cannot deadlock
        Sql.list(c, "SELECT id, name, project, created_at, deleting_since, delete_actor, delete_reason, delete_action, delete_run "
                + "FROM tasks WHERE id" + in + " ORDER BY id" + dialect.forUpdate(), rs -> heads.put(rs.getString("id"),
                new Head(rs.getString("name"), rs.getString("project"), Sql.instant(rs, "created_at"), Sql.instant(rs, "deleting_since"),
                        rs.getString("delete_actor"), rs.getString("delete_reason"), rs.getString("delete_action"),
                        rs.getString("delete_run"))), ids);
        Set<String> open = new HashSet<>(Sql.list(c, "SELECT DISTINCT task_id FROM pending_deletes WHERE state = 'OPEN' "
                + "AND task_id" + in, rs -> rs.getString(1), ids));
        Map<String, Long> deleting = new HashMap<>();
        Sql.list(c, "SELECT task_id, COUNT(*) FROM artifacts WHERE state = 'DELETING' AND task_id" + in + " GROUP BY task_id",
                rs -> deleting.put(rs.getString(1), rs.getLong(2)), ids);
        Map<String, long[]> done = new HashMap<>();
        Sql.list(c, "SELECT task_id, SUM(objects), COALESCE(SUM(size_bytes), 0) FROM pending_deletes WHERE state = 'DONE' "
                + "AND task_id" + in + " GROUP BY task_id", rs -> done.put(rs.getString(1), new long[]{rs.getLong(2),
                rs.getLong(3)}), ids);
        List<FinishResult> results = new ArrayList<>();
        List<String> whole = new ArrayList<>();
        List<String> artifactsOnly = new ArrayList<>();
        for (String id : ids) {
            Head head = heads.get(id);
            if (head == null || open.contains(id)) {
                continue;
            }
            long[] d = done.getOrDefault(id, NONE);
            long[] r = removed.getOrDefault(id, NONE);
            long artifacts = deleting.getOrDefault(id, 0L);
            boolean isWhole = head.deletingSince() != null;
            if (!isWhole && artifacts == 0 && d[0] + r[0] == 0) {
                continue;
            }
            (isWhole ? whole : artifactsOnly).add(id);
            results.add(new FinishResult(id, isWhole, (int) artifacts, d[0] + r[0], d[1] + r[1]));
        }
        if (results.isEmpty()) {
            return results;
        }
        requireOnlyDeletingArtifacts(c, whole);
        List<String> finishing = results.stream().map(FinishResult::taskId).toList();
        String fin = " IN (" + Sql.marks(finishing.size()) + ")";
        // tasks using a removed artifact as input are themselves being deleted (live users keep the model)
        Sql.update(c, "DELETE FROM task_inputs WHERE artifact_id IN (SELECT id FROM artifacts WHERE state = 'DELETING' "
                + "AND task_id" + fin + ")", finishing.toArray());
        Sql.update(c, "DELETE FROM artifacts WHERE state = 'DELETING' AND task_id" + fin, finishing.toArray());
        Sql.update(c, "DELETE FROM pending_deletes WHERE state = 'DONE' AND task_id" + fin, finishing.toArray());
        deleteTaskRows(c, whole, at);
        if (!artifactsOnly.isEmpty()) {
            Sql.update(c, "UPDATE tasks SET delete_actor = NULL, delete_reason = NULL, delete_action = NULL, delete_run = NULL "
                    + "WHERE id IN ("
                    + Sql.marks(artifactsOnly.size()) + ")", artifactsOnly.toArray());
        }
        insertAudit(c, results, heads, at);
        return results;
    }

    /** A whole task's record goes only with all its artifacts: one not marked for deletion keeps it (and fails the batch). */
    private static void requireOnlyDeletingArtifacts(Connection c, List<String> whole) throws SQLException {
        if (whole.isEmpty()) {
            return;
        }
        Map<String, Long> left = new HashMap<>();
        Sql.list(c, "SELECT task_id, COUNT(*) FROM artifacts WHERE state <> 'DELETING' AND task_id IN ("
                + Sql.marks(whole.size()) + ") GROUP BY task_id", rs -> left.put(rs.getString(1), rs.getLong(2)), whole);
        for (String id : whole) {
            if (left.containsKey(id)) {
                throw new StoreException("task " + id + " still has " + left.get(id)
                        + " artifact(s) that were not marked for deletion; its record is kept");
            }
        }
    }

    private static void deleteTaskRows(Connection c, List<String> whole, Instant at) throws SQLException {
        if (whole.isEmpty()) {
            return;
        }
        String in = " IN (" + Sql.marks(whole.size()) + ")";
        // children created after the mark still pointed here
        List<Object> repoint = new ArrayList<>(List.of(Task.DELETED_PARENT, Sql.ms(at)));
        repoint.addAll(whole);
        Sql.update(c, "UPDATE tasks SET parent_id = ?, last_update_at = ?, version = version + 1 WHERE parent_id" + in,
                repoint.toArray());
        Sql.update(c, "DELETE FROM task_tags WHERE task_id" + in, whole.toArray());
        Sql.update(c, "DELETE FROM task_inputs WHERE task_id" + in, whole.toArray());
        Sql.update(c, "DELETE FROM console_chunks WHERE task_id" + in, whole.toArray());
        Sql.update(c, "DELETE FROM external_jobs WHERE task_id" + in, whole.toArray());
        Sql.update(c, "DELETE FROM tasks WHERE id" + in, whole.toArray());
    }

    /** Rows per audit insert: eleven parameters each, well under every engine's limit. */
    private static final int AUDIT_ROWS = 100;

    private static void insertAudit(Connection c, List<FinishResult> results, Map<String, Head> heads, Instant at)
            throws SQLException {
        for (int i = 0; i < results.size(); i += AUDIT_ROWS) {
            List<FinishResult> rows = results.subList(i, Math.min(results.size(), i + AUDIT_ROWS));
            List<Object> params = new ArrayList<>(rows.size() * 11);
            for (FinishResult f : rows) {
                Head head = heads.get(f.taskId());
                String action = head.action() != null ? head.action() : f.taskDeleted() ? "delete-task" : "delete-artifacts";
                params.addAll(List.of(Sql.ms(at), Sql.text(head.actor()), action, f.taskId(), Sql.text(head.name()),
                        Sql.text(head.project()), Sql.text(head.reason()), f.objects(), f.bytes(), Sql.text(head.runId()), Sql.ms(head.createdAt())));
            }
            Sql.update(c, "INSERT INTO audit (at, actor, action, task_id, task_name, project, reason, objects, bytes, run_id, "
                    + "task_created_at) VALUES " + String.join(", ", Collections.nCopies(rows.size(), "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")),
                    params.toArray());
        }
    }

    static List<String> unfinished(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT id FROM (SELECT id FROM tasks WHERE deleting_since IS NOT NULL UNION "
                + "SELECT task_id AS id FROM artifacts WHERE state = 'DELETING' AND task_id IS NOT NULL) u "
                + "ORDER BY id LIMIT ?", rs -> rs.getString(1), Math.max(0, limit));
    }

    /**
     * A page of audit lines, newest first: each condition of the query is an equality on the leading
     * column of an index ending in (at, id), and the cursor a position in that order, so a page reads
     * only its own rows.
     */
    static AuditPage audit(Connection c, AuditQuery q) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT id, at, actor, action, task_id, task_name, project, reason, objects, "
                + "bytes, run_id FROM audit WHERE 1 = 1");
        List<Object> params = new ArrayList<>();
        if (q.taskId() != null) {
            sql.append(" AND task_id = ?");
            params.add(q.taskId());
        }
        if (q.runId() != null) {
            sql.append(" AND run_id = ?");
            params.add(q.runId());
        }
        if (q.actor() != null) {
            sql.append(" AND actor = ?");
            params.add(q.actor());
        }
        if (q.since() != null) {
            sql.append(" AND at >= ?");
            params.add(Sql.ms(q.since()));
        }
        if (q.after() != null) {
            long[] p = AuditQuery.position(q.after());
            sql.append(" AND (at < ? OR (at = ? AND id < ?))");
            params.addAll(List.of(p[0], p[0], p[1]));
        }
        sql.append(" ORDER BY at DESC, id DESC LIMIT ?");
        params.add(q.limit() + 1);
        List<long[]> positions = new ArrayList<>();
        List<AuditRecord> rows = Sql.list(c, sql.toString(), rs -> {
            positions.add(new long[] {rs.getLong("at"), rs.getLong("id")});
            return new AuditRecord(Sql.instant(rs, "at"), rs.getString("actor"), rs.getString("action"),
                    rs.getString("task_id"), rs.getString("task_name"), rs.getString("project"), rs.getString("reason"),
                    rs.getLong("objects"), rs.getLong("bytes"), rs.getString("run_id"));
        }, params.toArray());
        if (rows.size() <= q.limit()) {
            return new AuditPage(rows, null);
        }
        long[] last = positions.get(q.limit() - 1);
        return new AuditPage(rows.subList(0, q.limit()), AuditQuery.cursor(Instant.ofEpochMilli(last[0]), last[1]));
    }
}
