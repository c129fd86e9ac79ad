package dev.reclaim.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.reclaim.Json;
import dev.reclaim.StoreException;
import dev.reclaim.cleanup.CleanupRun;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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

    private static CleanupRun read(String json) {
        try {
            return Json.mapper().readValue(json, CleanupRun.class);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored cleanup run report is not readable: " + e.getOriginalMessage(), e);
        }
    }
}
