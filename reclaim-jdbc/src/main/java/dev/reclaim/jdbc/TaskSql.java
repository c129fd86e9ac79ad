package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.model.Task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Inserting, reading and replacing task records with their tags and input models. */
final class TaskSql {
    private final Dialect dialect;

    TaskSql(Dialect dialect) {
        this.dialect = dialect;
    }

    Optional<Task> find(Connection c, String id) throws SQLException {
        List<Task.Builder> rows = Sql.list(c, "SELECT " + TaskRows.TASK_COLUMNS + " FROM tasks t WHERE t.id = ?",
                TaskRows::task, id);
        return rows.isEmpty() ? Optional.empty() : Optional.of(TaskRows.complete(c, rows).get(0));
    }

    void insert(Connection c, Task task) throws SQLException {
        if (Sql.exists(c, "SELECT 1 FROM tasks WHERE id = ?", task.id())) {
            throw new StoreException("a task with id " + task.id() + " exists already; ids are never reused");
        }
        validateInputModels(c, task.inputModels());
        List<Object> values = new ArrayList<>();
        values.add(task.id());
        values.add(Sql.ms(task.createdAt()));
        values.addAll(TaskRows.mutableValues(task));
        String sql = "INSERT INTO tasks (id, created_at, " + String.join(", ", TaskRows.MUTABLE_COLUMNS) + ", version) "
                + "VALUES (?, ?, " + String.join(", ", TaskRows.mutableMarkers(dialect)) + ", 0)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, values);
            ps.executeUpdate();
        }
        writeTags(c, List.of(task));
        writeInputs(c, List.of(task));
    }

    /** Import key to task id, for the keys among {@code importKeys} a task has. */
    static Map<String, String> imported(Connection c, Collection<String> importKeys) throws SQLException {
        Map<String, String> out = new HashMap<>();
        for (List<String> chunk : Sql.chunks(new HashSet<>(importKeys))) {
            for (String[] row : Sql.list(c, "SELECT import_key, id FROM tasks WHERE import_key IN (" + Sql.marks(chunk.size())
                    + ")", rs -> new String[] {rs.getString(1), rs.getString(2)}, chunk)) {
                out.put(row[0], row[1]);
            }
        }
        return out;
    }

    /** Inserts each task whose import key no task has yet, under that key; answers every key's task id. */
    Map<String, String> insertImported(Connection c, Map<String, Task> byImportKey) throws SQLException {
        Map<String, String> ids = imported(c, byImportKey.keySet());
        for (Map.Entry<String, Task> e : byImportKey.entrySet()) {
            if (!ids.containsKey(e.getKey())) {
                insert(c, e.getValue());
                Sql.update(c, "UPDATE tasks SET import_key = ? WHERE id = ?", e.getKey(), e.getValue().id());
                ids.put(e.getKey(), e.getValue().id());
            }
        }
        return ids;
    }

    /** Compare-and-set on the version of a live task; the new version is {@code expectedVersion + 1}. */
    Optional<Task> replace(Connection c, Task task, long expectedVersion) throws SQLException {
        List<Object> values = TaskRows.mutableValues(task);
        values.add(expectedVersion + 1);
        values.add(task.id());
        values.add(expectedVersion);
        List<String> markers = TaskRows.mutableMarkers(dialect);
        String sql = "UPDATE tasks SET " + IntStream.range(0, markers.size())
                .mapToObj(i -> TaskRows.MUTABLE_COLUMNS.get(i) + " = " + markers.get(i))
                .collect(Collectors.joining(", ")) + ", version = ? WHERE id = ? AND version = ? AND deleting_since IS NULL";
        int changed;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Sql.bind(ps, values);
            changed = ps.executeUpdate();
        }
        if (changed == 0) {
            return Optional.empty();
        }
        Set<String> current = new HashSet<>(Sql.list(c, "SELECT artifact_id FROM task_inputs WHERE task_id = ?",
                rs -> rs.getString(1), task.id()));
        validateInputModels(c, task.inputModels().stream().filter(id -> !current.contains(id)).toList());
        Sql.update(c, "DELETE FROM task_tags WHERE task_id = ?", task.id());
        Sql.update(c, "DELETE FROM task_inputs WHERE task_id = ?", task.id());
        writeTags(c, List.of(task));
        writeInputs(c, List.of(task));
        return find(c, task.id());
    }

    /** Input models must name LIVE artifacts of kind MODEL. */
    private void validateInputModels(Connection c, Collection<String> modelIds) throws SQLException {
        for (String id : new HashSet<>(modelIds)) {
            Optional<String[]> row = Sql.one(c, "SELECT kind, state FROM artifacts WHERE id = ?" + dialect.forUpdate(),
                    rs -> new String[]{rs.getString(1), rs.getString(2)}, id);
            if (row.isEmpty()) {
                throw new InvalidArgumentException("input model " + id + " does not exist");
            }
            if (!row.get()[0].equals("MODEL")) {
                throw new InvalidArgumentException("input model " + id + " is not a model but a " + row.get()[0]
                        + " artifact; only models can be used as input");
            }
            if (!row.get()[1].equals("LIVE")) {
                throw new InvalidArgumentException("input model " + id + " is " + row.get()[1]
                        + ", not live (still being written, or being deleted)");
            }
        }
    }

    /** The tags of the tasks, one batch. */
    private static void writeTags(Connection c, Collection<Task> tasks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO task_tags (task_id, is_system, tag) VALUES (?, ?, ?)")) {
            for (Task task : tasks) {
                for (String tag : task.tags()) {
                    Sql.bind(ps, List.of(task.id(), false, tag));
                    ps.addBatch();
                }
                for (String tag : task.systemTags()) {
                    Sql.bind(ps, List.of(task.id(), true, tag));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** The input models of the tasks, in their order, one batch. */
    private static void writeInputs(Connection c, Collection<Task> tasks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO task_inputs (task_id, position, artifact_id) VALUES (?, ?, ?)")) {
            for (Task task : tasks) {
                int position = 0;
                for (String modelId : task.inputModels()) {
                    Sql.bind(ps, List.of(task.id(), position++, modelId));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }
    /**
     * {@link #insert} of many tasks with batched statements: one existence check per chunk of ids,
     * then one batch each of task rows, tags and inputs. The caller's transaction makes it all or
     * nothing.
     */
    void insertAll(Connection c, Collection<Task> list) throws SQLException {
        Set<String> ids = new HashSet<>();
        for (Task t : list) {
            if (!ids.add(t.id())) {
                throw new StoreException("a task with id " + t.id() + " is given twice; ids are never reused");
            }
        }
        for (List<String> chunk : Sql.chunks(ids)) {
            Optional<String> taken = Sql.one(c, "SELECT id FROM tasks WHERE id IN (" + Sql.marks(chunk.size()) + ")",
                    rs -> rs.getString(1), chunk.toArray());
            if (taken.isPresent()) {
                throw new StoreException("a task with id " + taken.get() + " exists already; ids are never reused");
            }
        }
        validateInputModels(c, list.stream().flatMap(t -> t.inputModels().stream()).toList());
        String sql = "INSERT INTO tasks (id, created_at, " + String.join(", ", TaskRows.MUTABLE_COLUMNS) + ", version) "
                + "VALUES (?, ?, " + String.join(", ", TaskRows.mutableMarkers(dialect)) + ", 0)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (Task task : list) {
                List<Object> values = new ArrayList<>();
                values.add(task.id());
                values.add(Sql.ms(task.createdAt()));
                values.addAll(TaskRows.mutableValues(task));
                Sql.bind(ps, values);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        writeTags(c, list);
        writeInputs(c, list);
    }
}
