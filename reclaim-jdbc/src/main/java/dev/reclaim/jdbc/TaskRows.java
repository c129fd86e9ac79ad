package dev.reclaim.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.reclaim.Json;
import dev.reclaim.StoreException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.JobOptions;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/** Mapping between rows and {@link Task} / {@link Artifact} records. */
final class TaskRows {
    /** Columns of a task row, table alias {@code t}. */
    static final String TASK_COLUMNS = "t.id, t.name, t.project, t.type, t.owner, t.status, t.created_at, t.started_at, "
            + "t.ended_at, t.status_changed_at, t.last_update_at, t.archived_at, t.results_retrieved_at, t.parent_id, "
            + "t.queue, t.spec, t.opt_wait, t.opt_auto_cleanup, t.opt_console_output, t.worker_id, t.lease_expires_at, "
            + "t.exit_code, t.error, t.params, t.deleting_since, t.version";
    /** How many columns {@link #TASK_COLUMNS} names. */
    static final int TASK_COLUMN_COUNT = TASK_COLUMNS.split(",").length;

    /** The columns {@link #mutableValues} binds, in order. */
    static final List<String> MUTABLE_COLUMNS = List.of("name", "project", "type", "owner", "status", "started_at",
            "ended_at", "status_changed_at", "last_update_at", "archived_at", "results_retrieved_at", "parent_id",
            "queue", "spec", "opt_wait", "opt_auto_cleanup", "opt_console_output", "worker_id", "lease_expires_at",
            "exit_code", "error", "params");

    /**
     * Parameter markers for {@link #MUTABLE_COLUMNS}, in order: {@code params} is a JSON column.
     */
    static List<String> mutableMarkers(Dialect dialect) {
        return MUTABLE_COLUMNS.stream().map(col -> col.equals("params") ? dialect.jsonParameter() : "?").toList();
    }

    /** Columns of an artifact row, table alias {@code a}. */
    static final String ARTIFACT_COLUMNS =
            "a.id, a.task_id, a.kind, a.name, a.storage_key, a.size_bytes, a.created_at, a.published, a.state, a.sha256";

    private static final TypeReference<TreeMap<String, String>> PARAMS = new TypeReference<>() {
    };

    private TaskRows() {
    }

    /**
     * A task row without its tags and input models (see {@link #complete}). The row must start
     * with {@link #TASK_COLUMNS}: columns are read by position, as a lookup by name cost a hash
     * lookup per column per row (a fifth of a 50-task page's mapping time).
     */
    static Task.Builder task(ResultSet rs) throws SQLException {
        return Task.builder(rs.getString(1), rs.getString(2), Sql.instant(rs, 7))
                .project(rs.getString(3))
                .type(rs.getString(4))
                .owner(rs.getString(5))
                .status(TaskStatus.valueOf(rs.getString(6)))
                .startedAt(Sql.instant(rs, 8))
                .endedAt(Sql.instant(rs, 9))
                .statusChangedAt(Sql.instant(rs, 10))
                .lastUpdateAt(Sql.instant(rs, 11))
                .archivedAt(Sql.instant(rs, 12))
                .resultsRetrievedAt(Sql.instant(rs, 13))
                .parentId(rs.getString(14))
                .queue(rs.getString(15))
                .spec(rs.getString(16))
                .submittedOptions(new JobOptions(Sql.nullableBool(rs, 17), Sql.nullableBool(rs, 18), Sql.nullableBool(rs, 19)))
                .workerId(rs.getString(20))
                .leaseExpiresAt(Sql.instant(rs, 21))
                .exitCode(Sql.nullableInt(rs, 22))
                .error(rs.getString(23))
                .params(readParams(rs.getString(24)))
                .deletingSince(Sql.instant(rs, 25))
                .version(rs.getLong(26));
    }

    /** Values of {@link #MUTABLE_COLUMNS} for a task, instants truncated to milliseconds. */
    static List<Object> mutableValues(Task t) {
        JobOptions o = t.submittedOptions();
        return new ArrayList<>(Arrays.asList(t.name(), t.project(), Sql.text(t.type()), Sql.text(t.owner()),
                t.status().name(), Sql.ms(t.startedAt()), Sql.ms(t.endedAt()), Sql.ms(t.statusChangedAt()),
                Sql.ms(t.lastUpdateAt()), Sql.ms(t.archivedAt()), Sql.ms(t.resultsRetrievedAt()), Sql.text(t.parentId()),
                Sql.text(t.queue()), Sql.text(t.spec()), Sql.bool(o.waitForEnd()), Sql.bool(o.autoCleanup()),
                Sql.bool(o.consoleOutput()), Sql.text(t.workerId()), Sql.ms(t.leaseExpiresAt()), Sql.integer(t.exitCode()),
                Sql.text(t.error()), writeParams(t.params())));
    }

    /** Adds tags, system tags and input models to task rows, keeping their order. */
    static List<Task> complete(Connection c, List<Task.Builder> rows) throws SQLException {
        Map<String, Task.Builder> byId = new LinkedHashMap<>();
        Map<String, TreeSet<String>> tags = new LinkedHashMap<>();
        Map<String, TreeSet<String>> systemTags = new LinkedHashMap<>();
        Map<String, List<String>> inputs = new LinkedHashMap<>();
        for (Task.Builder b : rows) {
            Task t = b.build();
            byId.put(t.id(), b);
            tags.put(t.id(), new TreeSet<>());
            systemTags.put(t.id(), new TreeSet<>());
            inputs.put(t.id(), new ArrayList<>());
        }
        for (List<String> ids : Sql.chunks(byId.keySet())) {
            // One statement for tags and inputs: a page is read in three statements, not four.
            String in = "(" + Sql.marks(ids.size()) + ")";
            List<Object> params = new ArrayList<>(ids);
            params.addAll(ids);
            Sql.list(c, "SELECT task_id, CASE WHEN is_system THEN 1 ELSE 0 END AS part, tag AS value, 0 AS position "
                    + "FROM task_tags WHERE task_id IN " + in
                    + " UNION ALL SELECT task_id, 2, artifact_id, position FROM task_inputs WHERE task_id IN " + in
                    + " ORDER BY 1, 2, 4", rs -> {
                        String id = rs.getString(1);
                        String value = rs.getString(3);
                        switch (rs.getInt(2)) {
                            case 0 -> tags.get(id).add(value);
                            case 1 -> systemTags.get(id).add(value);
                            default -> inputs.get(id).add(value);
                        }
                        return null;
                    }, params);
        }
        List<Task> out = new ArrayList<>(rows.size());
        byId.forEach((id, b) -> out.add(b.tags(tags.get(id)).systemTags(systemTags.get(id)).inputModels(inputs.get(id)).build()));
        return out;
    }

    static Artifact artifact(ResultSet rs) throws SQLException {
        return new Artifact(rs.getString("id"), rs.getString("task_id"), ArtifactKind.valueOf(rs.getString("kind")),
                rs.getString("name"), rs.getString("storage_key"), rs.getLong("size_bytes"), Sql.instant(rs, "created_at"),
                rs.getBoolean("published"), ArtifactState.valueOf(rs.getString("state")), rs.getString("sha256"));
    }

    static String writeParams(Map<String, String> params) {
        return Json.write(params);
    }

    static TreeMap<String, String> readParams(String json) {
        if (json == null || json.isEmpty() || json.equals("{}")) { // most tasks: skip the parser
            return new TreeMap<>();
        }
        try {
            return Json.mapper().readValue(json, PARAMS);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored task params are not a JSON object of strings: " + e.getOriginalMessage(), e);
        }
    }
}
