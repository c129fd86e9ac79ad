package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Task;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.HoldStore.Hold;
import dev.reclaim.store.HoldStore.HoldChange;
import dev.reclaim.store.HoldStore.Target;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Holds (V23): the hold rows, a task's {@code hold} system tag, the task's new version and the
 * audit line of each change, in the caller's write transaction; and the checks a mark makes.
 *
 * <p>Each change locks the task row first, as a mark does, so a hold and a mark of the same task
 * are ordered: the mark either sees the hold, or finds the version the hold gave the task changed.
 */
final class HoldSql {
    private final Dialect dialect;

    HoldSql(Dialect dialect) {
        this.dialect = dialect;
    }

    private record Owner(String taskId, String name, String project, Instant createdAt) {
    }

    HoldChange holdTask(Connection c, String taskId, String actor, String reason, Instant at) throws SQLException {
        Optional<Owner> task = liveTask(c, taskId);
        if (task.isEmpty()) {
            return new HoldChange(HoldChange.Outcome.NOT_FOUND, null);
        }
        if (held(c, Target.TASK, taskId)) {
            return new HoldChange(HoldChange.Outcome.UNCHANGED, taskId);
        }
        Sql.update(c, "INSERT INTO holds (kind, id, held_at, held_by, reason) VALUES (?, ?, ?, ?, ?)", Target.TASK.name(),
                taskId, Sql.ms(at), Sql.text(actor), Sql.text(reason));
        Sql.update(c, "INSERT INTO task_tags (task_id, is_system, tag) VALUES (?, ?, ?)", taskId, true, Task.HOLD);
        changed(c, task.get(), taskId, "hold", reason, actor, at);
        return new HoldChange(HoldChange.Outcome.CHANGED, taskId);
    }

    HoldChange releaseTask(Connection c, String taskId, String actor, String reason, Instant at) throws SQLException {
        Optional<Owner> task = liveTask(c, taskId);
        if (task.isEmpty()) {
            return new HoldChange(HoldChange.Outcome.NOT_FOUND, null);
        }
        if (!held(c, Target.TASK, taskId)) {
            return new HoldChange(HoldChange.Outcome.UNCHANGED, taskId);
        }
        Sql.update(c, "DELETE FROM holds WHERE kind = ? AND id = ?", Target.TASK.name(), taskId);
        Sql.update(c, "DELETE FROM task_tags WHERE task_id = ? AND is_system = ? AND tag = ?", taskId, true, Task.HOLD);
        changed(c, task.get(), taskId, "release", reason, actor, at);
        return new HoldChange(HoldChange.Outcome.CHANGED, taskId);
    }

    HoldChange holdArtifact(Connection c, String taskId, String artifactId, String actor, String reason, Instant at)
            throws SQLException {
        Optional<Owner> owner = ownerOf(c, artifactId);
        if (owner.isEmpty() || (taskId != null && !taskId.equals(owner.get().taskId()))) {
            return new HoldChange(HoldChange.Outcome.NOT_FOUND, null);
        }
        if (held(c, Target.ARTIFACT, artifactId)) {
            return new HoldChange(HoldChange.Outcome.UNCHANGED, owner.get().taskId());
        }
        Sql.update(c, "INSERT INTO holds (kind, id, held_at, held_by, reason) VALUES (?, ?, ?, ?, ?)", Target.ARTIFACT.name(),
                artifactId, Sql.ms(at), Sql.text(actor), Sql.text(reason));
        changed(c, owner.get(), artifactId, "hold-artifact", aboutArtifact(c, artifactId, reason), actor, at);
        return new HoldChange(HoldChange.Outcome.CHANGED, owner.get().taskId());
    }

    HoldChange releaseArtifact(Connection c, String artifactId, String actor, String reason, Instant at) throws SQLException {
        if (!held(c, Target.ARTIFACT, artifactId)) {
            return new HoldChange(Sql.exists(c, "SELECT 1 FROM artifacts WHERE id = ?", artifactId)
                    ? HoldChange.Outcome.UNCHANGED : HoldChange.Outcome.NOT_FOUND, null);
        }
        Optional<Owner> owner = ownerOf(c, artifactId);
        Sql.update(c, "DELETE FROM holds WHERE kind = ? AND id = ?", Target.ARTIFACT.name(), artifactId);
        // a hold whose artifact is gone (or going) is still released, and said so in the audit
        Owner o = owner.orElse(new Owner(null, null, null, null));
        changed(c, o, artifactId, "release-artifact", aboutArtifact(c, artifactId, reason), actor, at);
        return new HoldChange(HoldChange.Outcome.CHANGED, o.taskId());
    }

    Map<String, Hold> artifactHolds(Connection c, Collection<String> artifactIds) throws SQLException {
        Map<String, Hold> out = new HashMap<>();
        for (List<String> chunk : Sql.chunks(artifactIds)) {
            Sql.list(c, "SELECT h.id, a.task_id, a.name, h.held_at, h.held_by, h.reason FROM holds h LEFT JOIN artifacts a "
                    + "ON a.id = h.id WHERE h.kind = 'ARTIFACT' AND h.id IN (" + Sql.marks(chunk.size()) + ")",
                    rs -> out.put(rs.getString(1), new Hold(Target.ARTIFACT, rs.getString(1), rs.getString(2), rs.getString(3),
                            Sql.instant(rs, 4), rs.getString(5), rs.getString(6))), chunk);
        }
        return out;
    }

    List<Hold> holds(Connection c, String after, int limit) throws SQLException {
        if (limit < 1 || limit > 1001) {
            throw new InvalidArgumentException("limit must be 1..1001, not " + limit);
        }
        List<Object> params = new ArrayList<>();
        String where = "";
        if (after != null) {
            String[] p = after.split("/", 3);
            if (p.length != 3 || !p[0].matches("\\d{1,19}") || !(p[1].equals("TASK") || p[1].equals("ARTIFACT"))) {
                throw new InvalidArgumentException("'" + after + "' is not a position in the list of holds; pass the "
                        + "cursor a page of holds ended with");
            }
            where = " WHERE (h.held_at > ? OR (h.held_at = ? AND (h.kind > ? OR (h.kind = ? AND h.id > ?))))";
            long at = Long.parseLong(p[0]);
            params.addAll(List.of(at, at, p[1], p[1], p[2]));
        }
        params.add(limit);
        return Sql.list(c, "SELECT h.kind, h.id, CASE WHEN h.kind = 'TASK' THEN h.id ELSE a.task_id END, "
                + "CASE WHEN h.kind = 'TASK' THEN t.name ELSE a.name END, h.held_at, h.held_by, h.reason FROM holds h "
                + "LEFT JOIN tasks t ON h.kind = 'TASK' AND t.id = h.id LEFT JOIN artifacts a ON h.kind = 'ARTIFACT' AND a.id = h.id"
                + where + " ORDER BY h.held_at, h.kind, h.id LIMIT ?", rs -> new Hold(Target.valueOf(rs.getString(1)),
                rs.getString(2), rs.getString(3), rs.getString(4), Sql.instant(rs, 5), rs.getString(6), rs.getString(7)), params);
    }

    /**
     * Why a mark of these tasks must be refused for a hold, per task: the task is on hold, or (of
     * {@code artifactIds}, or of all its artifacts when null) an artifact it holds is. Empty when
     * nothing anywhere is on hold, the common case, after one read of an index.
     */
    Map<String, String> heldIn(Connection c, Collection<String> taskIds, Collection<String> artifactIds) throws SQLException {
        Map<String, String> out = new HashMap<>();
        if (taskIds.isEmpty() || !Sql.exists(c, "SELECT 1 FROM holds")) {
            return out;
        }
        for (List<String> chunk : Sql.chunks(taskIds)) {
            String in = " IN (" + Sql.marks(chunk.size()) + ")";
            Sql.list(c, "SELECT id FROM holds WHERE kind = 'TASK' AND id" + in, rs -> out.put(rs.getString(1), "task "
                    + rs.getString(1) + " is on hold; release it with: reclaim tasks release " + rs.getString(1)), chunk);
            List<Object> params = new ArrayList<>(chunk);
            String only = "";
            if (artifactIds != null) {
                only = artifactIds.isEmpty() ? " AND 1 = 0" : " AND a.id IN (" + Sql.marks(artifactIds.size()) + ")";
                params.addAll(artifactIds);
            }
            Sql.list(c, "SELECT a.task_id, a.id FROM holds h JOIN artifacts a ON a.id = h.id WHERE h.kind = 'ARTIFACT' "
                    + "AND a.state IN ('LIVE', 'PENDING') AND a.task_id" + in + only + " ORDER BY a.task_id, a.id", rs -> {
                out.putIfAbsent(rs.getString(1), "artifact " + rs.getString(2) + " of task " + rs.getString(1)
                        + " is on hold; release it with: reclaim tasks artifacts release " + rs.getString(1) + " "
                        + rs.getString(2));
                return null;
            }, params);
        }
        return out;
    }

    /**
     * Releases, audited, the holds a mark with force overrides: the task's when the whole task goes,
     * and those of the artifacts it takes ({@code named}, or all the task's LIVE and PENDING ones).
     */
    void releaseForDeletion(Connection c, DeletionMark m, List<Object> named) throws SQLException {
        Optional<Owner> task = liveTask(c, m.taskId());
        if (task.isEmpty()) {
            return;
        }
        String why = "released: deleted with force" + (m.reason() == null ? "" : " (" + m.reason() + ")");
        if (m.wholeTask() && held(c, Target.TASK, m.taskId())) {
            Sql.update(c, "DELETE FROM holds WHERE kind = ? AND id = ?", Target.TASK.name(), m.taskId());
            changed(c, task.get(), m.taskId(), "release", why, m.actor(), m.at());
        }
        List<Object> params = new ArrayList<>(List.of(m.taskId()));
        params.addAll(named);
        String only = m.artifactIds() == null ? "" : named.isEmpty() ? " AND 1 = 0" : " AND a.id IN (" + Sql.marks(named.size()) + ")";
        for (String artifactId : Sql.list(c, "SELECT a.id FROM holds h JOIN artifacts a ON a.id = h.id WHERE h.kind = 'ARTIFACT' "
                + "AND a.task_id = ? AND a.state IN ('LIVE', 'PENDING')" + only + " ORDER BY a.id", rs -> rs.getString(1), params)) {
            Sql.update(c, "DELETE FROM holds WHERE kind = ? AND id = ?", Target.ARTIFACT.name(), artifactId);
            changed(c, task.get(), artifactId, "release-artifact", aboutArtifact(c, artifactId, why), m.actor(), m.at());
        }
    }

    private static boolean held(Connection c, Target target, String id) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM holds WHERE kind = ? AND id = ?", target.name(), id);
    }

    private Optional<Owner> liveTask(Connection c, String taskId) throws SQLException {
        return Sql.one(c, "SELECT id, name, project, created_at FROM tasks WHERE id = ? AND deleting_since IS NULL"
                + dialect.forUpdate(), rs -> new Owner(rs.getString(1), rs.getString(2), rs.getString(3),
                Sql.instant(rs, 4)), taskId);
    }

    /**
     * The LIVE artifact's task, locked, or for a detached model the model itself (no task); empty
     * when no LIVE artifact has the id.
     */
    private Optional<Owner> ownerOf(Connection c, String artifactId) throws SQLException {
        Optional<Owner> row = Sql.one(c, "SELECT task_id, name, created_at FROM artifacts WHERE id = ? AND state = 'LIVE'",
                rs -> new Owner(rs.getString(1), rs.getString(2), null, Sql.instant(rs, 3)), artifactId);
        if (row.isEmpty()) {
            return Optional.empty();
        }
        if (row.get().taskId() == null) {
            return row; // a detached model: its audit lines go under its own id, name and creation time
        }
        Optional<Owner> owner = liveTask(c, row.get().taskId());
        // the task is being deleted: so is the artifact, which is then no longer LIVE
        return owner.isPresent() && Sql.exists(c, "SELECT 1 FROM artifacts WHERE id = ? AND state = 'LIVE'", artifactId)
                ? owner : Optional.empty();
    }

    /** An artifact hold's audit reason: which artifact, then why. */
    private static String aboutArtifact(Connection c, String artifactId, String reason) throws SQLException {
        String name = Sql.one(c, "SELECT name FROM artifacts WHERE id = ?", rs -> rs.getString(1), artifactId).orElse("gone");
        return "artifact " + artifactId + " (" + name + ")" + (reason == null || reason.isBlank() ? "" : ": " + reason);
    }

    /**
     * A new version for the task (if any), so deletions decided before fail their check, and the
     * audit line: under the task, or under the artifact's id for a detached model (as its deletion is).
     */
    private static void changed(Connection c, Owner task, String subject, String action, String reason, String actor,
                                Instant at) throws SQLException {
        if (task.taskId() != null) {
            Sql.update(c, "UPDATE tasks SET version = version + 1, last_update_at = ? WHERE id = ?", Sql.ms(at), task.taskId());
        }
        Sql.update(c, "INSERT INTO audit (at, actor, action, task_id, task_name, project, reason, objects, bytes, "
                + "task_created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?)", Sql.ms(at), Sql.text(actor), action,
                task.taskId() != null ? task.taskId() : subject, Sql.text(task.name()), Sql.text(task.project()),
                Sql.text(reason), Sql.ms(task.createdAt()));
    }
}
