package dev.reclaim.jdbc;

import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.store.DetachedModel;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.MarkResult.Outcome;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Models detached from their deleted task (task_id NULL): listing those no live task uses, and
 * deleting one on request ({@link dev.reclaim.store.TaskStore#removeDetachedModel}).
 */
final class DetachedModelSql {
    /** Most user ids named in a refusal. */
    private static final int NAMED = 20;
    /** A live task uses the model {@code a} as input. */
    private static final String LIVE_USER = "SELECT 1 FROM task_inputs i JOIN tasks o ON o.id = i.task_id "
            + "WHERE i.artifact_id = a.id AND o.deleting_since IS NULL";

    private final Dialect dialect;
    private final HoldSql holds;

    DetachedModelSql(Dialect dialect) {
        this.dialect = dialect;
        this.holds = new HoldSql(dialect);
    }

    static List<DetachedModel> unused(Connection c, String afterId, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + ", a.kept_on_request FROM artifacts a WHERE a.task_id IS NULL "
                + "AND a.kind = 'MODEL' AND a.state = 'LIVE' AND a.id > ? AND NOT EXISTS (" + LIVE_USER + ") ORDER BY a.id LIMIT ?",
                rs -> new DetachedModel(TaskRows.artifact(rs), rs.getBoolean("kept_on_request")),
                afterId == null ? "" : afterId, Math.max(0, limit));
    }

    MarkResult remove(Connection c, String artifactId, boolean force, String actor, String reason, Instant at)
            throws SQLException {
        Optional<DetachedModel> found = Sql.one(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + ", a.kept_on_request FROM artifacts a "
                + "WHERE a.id = ?" + dialect.forUpdate(), rs -> new DetachedModel(TaskRows.artifact(rs),
                rs.getBoolean("kept_on_request")), artifactId);
        if (found.isEmpty()) {
            return MarkResult.unchanged(Outcome.NOT_FOUND, "no artifact with id " + artifactId);
        }
        Artifact model = found.get().model();
        if (model.taskId() != null) {
            return MarkResult.unchanged(Outcome.NOT_FOUND, "artifact " + artifactId + " belongs to task " + model.taskId()
                    + "; it is deleted with its task ('reclaim tasks delete " + model.taskId() + "')");
        }
        if (model.state() != ArtifactState.LIVE) {
            return MarkResult.unchanged(Outcome.NOT_FOUND, "model " + artifactId + " is already being deleted");
        }
        List<String> users = Sql.list(c, "SELECT o.id FROM task_inputs i JOIN tasks o ON o.id = i.task_id WHERE i.artifact_id = ? "
                + "AND o.deleting_since IS NULL ORDER BY o.id", rs -> rs.getString(1), artifactId);
        boolean held = Sql.exists(c, "SELECT 1 FROM holds WHERE kind = 'ARTIFACT' AND id = ?", artifactId);
        if (!force) {
            Optional<String> refusal = refusal(found.get(), users, held);
            if (refusal.isPresent()) {
                return MarkResult.unchanged(Outcome.REFUSED, refusal.get());
            }
        }
        if (held) {
            holds.releaseArtifact(c, artifactId, actor, "released: deleted with force (" + reason + ")", at);
        }
        for (List<String> chunk : Sql.chunks(users)) {
            List<Object> params = new ArrayList<>(List.of(Sql.ms(at)));
            params.addAll(chunk);
            // their inputs change: a new version, so no stale replace can bring the reference back
            Sql.update(c, "UPDATE tasks SET last_update_at = ?, version = version + 1 WHERE id IN (" + Sql.marks(chunk.size())
                    + ")", params.toArray());
        }
        Sql.update(c, "DELETE FROM task_inputs WHERE artifact_id = ?", artifactId);
        Sql.update(c, "DELETE FROM artifacts WHERE id = ?", artifactId);
        // whether the key may be queued depends on other artifacts with the same key
        KeyLocks.lock(c, dialect, List.of(model.storageKey()));
        List<String> queued = Sql.exists(c, "SELECT 1 FROM artifacts WHERE storage_key = ? AND state = 'LIVE'", model.storageKey())
                ? List.of() : PurgeSql.enqueue(c, dialect, null, Map.of(model.storageKey(), model.sizeBytes()), at);
        long bytes = queued.isEmpty() ? 0 : model.sizeBytes();
        Sql.update(c, "INSERT INTO audit (at, actor, action, task_id, task_name, project, reason, objects, bytes, "
                + "task_created_at) VALUES (?, ?, 'delete-model', ?, ?, ?, ?, ?, ?, ?)", Sql.ms(at), Sql.text(actor), artifactId,
                model.name(), Sql.NULL_TEXT, Sql.text(reason), (long) queued.size(), bytes, Sql.ms(model.createdAt()));
        return new MarkResult(Outcome.MARKED, null, 0, List.of(), 1, 1,
                queued.isEmpty() ? Map.of() : Map.of(model.storageKey(), model.sizeBytes()));
    }

    /** Why removing the model needs force: on hold, published, kept on request, used by live tasks. */
    private static Optional<String> refusal(DetachedModel m, List<String> users, boolean held) {
        List<String> why = new ArrayList<>();
        if (held) {
            why.add("is on hold");
        }
        if (m.model().published()) {
            why.add("is published");
        }
        if (m.keptOnRequest()) {
            why.add("was kept on request when its task was deleted");
        }
        if (!users.isEmpty()) {
            why.add("is used as input by live task(s) " + (users.size() > NAMED
                    ? String.join(", ", users.subList(0, NAMED)) + " and more" : String.join(", ", users)));
        }
        return why.isEmpty() ? Optional.empty() : Optional.of("model " + m.model().id() + " " + String.join(" and ", why)
                + "; pass force to delete it anyway" + (users.isEmpty() ? "" : " (those tasks lose it as input)"));
    }
}
