package dev.reclaim.jdbc;

import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.RetentionQueries.RetainedArtifact;
import dev.reclaim.store.RetentionQueries.TaskScope;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What retention rules read ({@link dev.reclaim.store.RetentionQueries}). Artifacts by age are read
 * one kind at a time through {@code ix_artifacts_kind_created} (V24), so a page is a range of the
 * index in its own order; a page of tasks' artifacts through {@code ix_artifacts_task}.
 */
final class RetentionSql {
    /** An artifact {@code a} of task {@code a.task_id} that no rule may delete: held, published or in use. */
    private static final String KEPT = "(EXISTS (SELECT 1 FROM holds h WHERE h.kind = 'ARTIFACT' AND h.id = a.id) "
            + "OR EXISTS (SELECT 1 FROM holds h WHERE h.kind = 'TASK' AND h.id = a.task_id) "
            + "OR (a.kind = 'MODEL' AND (a.published = TRUE OR EXISTS (SELECT 1 FROM task_inputs i JOIN tasks o ON "
            + "o.id = i.task_id WHERE i.artifact_id = a.id AND o.id <> a.task_id AND o.deleting_since IS NULL))))";

    private RetentionSql() {
    }

    static List<RetainedArtifact> createdBefore(Connection c, TaskScope scope, ArtifactKind kind, Instant before,
                                                RetainedArtifact after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.id, a.task_id, t.project, a.kind, a.created_at, a.size_bytes "
                + "FROM artifacts a JOIN tasks t ON t.id = a.task_id WHERE a.kind = ? AND a.created_at < ? "
                + "AND a.state = 'LIVE' AND t.deleting_since IS NULL");
        List<Object> params = new ArrayList<>(List.of(kind.name(), Sql.ms(before)));
        if (after != null) {
            sql.append(" AND (a.created_at > ? OR (a.created_at = ? AND a.id > ?))");
            params.addAll(List.of(Sql.ms(after.createdAt()), Sql.ms(after.createdAt()), after.id()));
        }
        scope(sql, params, scope);
        sql.append(" AND NOT ").append(KEPT).append(" ORDER BY a.created_at, a.id LIMIT ?");
        params.add(limit);
        return Sql.list(c, sql.toString(), rs -> row(rs, null, true), params);
    }

    static List<RetainedArtifact> ofTasks(Connection c, Collection<String> taskIds, Set<ArtifactKind> kinds, String metric)
            throws SQLException {
        List<RetainedArtifact> out = new ArrayList<>();
        if (kinds.isEmpty()) {
            return out;
        }
        String inKinds = " AND a.kind IN (" + Sql.marks(kinds.size()) + ")";
        for (List<String> chunk : Sql.chunks(taskIds)) {
            List<Object> params = new ArrayList<>();
            params.add(Sql.text(metric));
            params.addAll(chunk);
            kinds.forEach(k -> params.add(k.name()));
            out.addAll(Sql.list(c, "SELECT a.id, a.task_id, t.project, a.kind, a.created_at, a.size_bytes, m.value, "
                    + "CASE WHEN " + KEPT + " THEN 0 ELSE 1 END FROM artifacts a JOIN tasks t ON t.id = a.task_id "
                    + "LEFT JOIN artifact_metrics m ON m.artifact_id = a.id AND m.name = ? WHERE a.task_id IN ("
                    + Sql.marks(chunk.size()) + ")" + inKinds + " AND a.state = 'LIVE' ORDER BY a.task_id, a.id",
                    rs -> row(rs, rs.getObject(7) == null ? null : rs.getDouble(7), rs.getInt(8) == 1), params));
        }
        return out;
    }

    /** Appends the scope's conditions on task {@code t}. */
    static void scope(StringBuilder sql, List<Object> params, TaskScope scope) {
        if (!scope.projects().isEmpty()) {
            sql.append(" AND t.project IN (").append(Sql.marks(scope.projects().size())).append(")");
            params.addAll(scope.projects());
        }
        if (!scope.statuses().isEmpty()) {
            sql.append(" AND t.status IN (").append(Sql.marks(scope.statuses().size())).append(")");
            scope.statuses().stream().map(TaskStatus::name).forEach(params::add);
        }
        if (scope.archived() != null) {
            sql.append(scope.archived() ? " AND t.archived_at IS NOT NULL" : " AND t.archived_at IS NULL");
        }
        for (String tag : scope.tags()) {
            sql.append(" AND EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = t.id AND g.is_system = ? AND g.tag = ?)");
            params.add(false);
            params.add(tag);
        }
    }

    private static RetainedArtifact row(ResultSet rs, Double metric, boolean deletable) throws SQLException {
        return new RetainedArtifact(rs.getString(1), rs.getString(2), rs.getString(3), ArtifactKind.valueOf(rs.getString(4)),
                Sql.instant(rs, 5), rs.getLong(6), metric, deletable);
    }
}
