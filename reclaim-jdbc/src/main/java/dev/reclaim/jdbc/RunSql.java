package dev.reclaim.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaim.Json;
import dev.reclaim.StoreException;
import dev.reclaim.store.CleanupRun;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The Cleanup Service run history. */
final class RunSql {
    private RunSql() {
    }

    static void insert(Connection c, Dialect dialect, CleanupRun run) throws SQLException {
        Sql.update(c, "INSERT INTO cleanup_runs (id, service_task_id, started_at, ended_at, dry_run, deleted, bytes, report)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, " + dialect.jsonParameter() + ")",
                run.id(), Sql.text(run.serviceTaskId()), Sql.ms(run.startedAt()), Sql.ms(run.endedAt()), run.dryRun(),
                run.deleted(), run.bytes(), Json.write(run));
    }

    static List<CleanupRun> newest(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT report FROM cleanup_runs ORDER BY started_at DESC, id DESC LIMIT ?",
                rs -> read(rs.getString("report")), limit);
    }

    /** Runs after {@code afterId} in newest-first order (started_at, then id, both descending); none if no such run. */
    static List<CleanupRun> after(Connection c, String afterId, int limit) throws SQLException {
        return Sql.list(c, "SELECT r.report FROM cleanup_runs r, (SELECT started_at AS s, id AS i FROM cleanup_runs WHERE id = ?) k "
                + "WHERE r.started_at < k.s OR (r.started_at = k.s AND r.id < k.i) ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
                rs -> read(rs.getString("report")), afterId, limit);
    }

    static Optional<CleanupRun> byId(Connection c, String id) throws SQLException {
        return Sql.list(c, "SELECT report FROM cleanup_runs WHERE id = ?", rs -> read(rs.getString("report")), id)
                .stream().findFirst();
    }

    private static CleanupRun read(String json) {
        try {
            return Json.mapper().readValue(json, CleanupRun.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored cleanup run report is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
