package dev.reclaim.jdbc;

import dev.reclaim.model.Task;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.MarkResult;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.MarkResult.Outcome;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Step 2 of the deletion protocol, {@link dev.reclaim.store.TaskStore#markForDeletion}, run in one
 * write transaction.
 *
 * <p>A whole-task mark sets {@code deleting_since}: the task is no longer live. An artifact-only
 * mark (job cancel) leaves the task live and records the deletion through its DELETING artifacts
 * plus the actor and reason on the task row. Both bump the task's version.
 *
 * <p>An artifacts-only mark that names artifacts ({@link DeletionMark#artifactIds}) takes only those:
 * a superseded artifact, abandoned uploads. Of them, a LIVE model that is published or used by
 * another live task is still kept and detached, so no protected bytes go even if it became
 * protected after the caller looked.
 *
 * <p>Only LIVE models can be kept: a PENDING model (its upload never finished) is deleted like any
 * other artifact, since a kept record would point at an object that may not exist. A model kept
 * only because other tasks use it is deleted by the mark of its last user, which hands it over.
 */
final class DeletionSql {
    /** Most ids named in a refusal message. */
    private static final int NAMED = 20;

    private final Dialect dialect;
    private final HoldSql holds;

    DeletionSql(Dialect dialect) {
        this.dialect = dialect;
        this.holds = new HoldSql(dialect);
    }

    private record Head(long version, Instant deletingSince) {
    }

    /** A LIVE or PENDING artifact of the task being marked. */
    private record Row(String id, boolean model, boolean live, String storageKey, long sizeBytes) {
    }

    MarkResult mark(Connection c, DeletionMark m) throws SQLException {
        String id = m.taskId();
        Optional<Head> head = Sql.one(c, "SELECT version, deleting_since FROM tasks WHERE id = ?" + dialect.forUpdate(),
                rs -> new Head(rs.getLong("version"), Sql.instant(rs, "deleting_since")), id);
        if (head.isEmpty()) {
            return MarkResult.unchanged(Outcome.NOT_FOUND, "no task with id " + id);
        }
        if (head.get().deletingSince() != null) {
            return MarkResult.unchanged(Outcome.CHANGED, "deletion of task " + id + " already started at "
                    + head.get().deletingSince());
        }
        if (head.get().version() != m.expectedVersion()) {
            return MarkResult.unchanged(Outcome.CHANGED, "task " + id + " changed since it was selected (version "
                    + head.get().version() + ", expected " + m.expectedVersion() + ")");
        }
        if (dialect.locksRows()) {
            // Lock the task's artifact rows before re-checking them: a concurrent publish, or a task
            // taking one of its models as input, either commits first (and this mark sees it) or
            // waits for this mark (and then finds the artifact DELETING).
            Sql.list(c, "SELECT id FROM artifacts WHERE task_id = ? ORDER BY id" + dialect.forUpdate(), rs -> null, id);
        }
        Map<String, String> held = holds.heldIn(c, List.of(id), m.artifactIds());
        if (!held.isEmpty() && m.refuseHeld()) {
            return MarkResult.unchanged(Outcome.REFUSED, held.get(id));
        }
        if (m.refusePublished()) {
            Optional<String> refusal = m.artifactIds() == null ? refusal(c, id) : protectedAmong(c, m);
            if (refusal.isPresent()) {
                return MarkResult.unchanged(Outcome.REFUSED, refusal.get());
            }
        }
        if (!held.isEmpty()) {
            holds.releaseForDeletion(c, m, named(m));
        }
        int children = markTask(c, m);
        // an artifacts-only mark may name the artifacts it takes; the others are left as they are
        String only = onlyNamed(m, "id");
        List<Object> params = new ArrayList<>(List.of(id));
        params.addAll(named(m));
        List<Row> rows = Sql.list(c, "SELECT id, kind, state, storage_key, size_bytes FROM artifacts WHERE task_id = ? "
                + "AND state IN ('LIVE', 'PENDING')" + only + " ORDER BY id", rs -> new Row(rs.getString(1),
                rs.getString(2).equals("MODEL"), rs.getString(3).equals("LIVE"), rs.getString(4), rs.getLong(5)), params);
        // the query for models to keep is the costliest of a mark; most tasks have no live model
        List<String> kept = rows.stream().anyMatch(r -> r.model() && r.live())
                ? detachKeptModels(c, m) : List.of();
        Map<String, Long> keys = new LinkedHashMap<>();
        int[] counts = new int[2]; // artifacts, models
        Set<String> keptIds = new HashSet<>(kept);
        for (Row r : rows) {
            if (keptIds.contains(r.id())) {
                continue;
            }
            counts[0]++;
            if (r.model()) {
                counts[1]++;
            }
            keys.merge(r.storageKey(), r.sizeBytes(), Math::max);
        }
        for (Row r : m.wholeTask() ? releaseDetachedInputs(c, id) : List.<Row>of()) {
            counts[0]++;
            counts[1]++;
            keys.merge(r.storageKey(), r.sizeBytes(), Math::max);
        }
        // whether a key may be queued depends on other tasks' artifacts with the same key
        KeyLocks.lock(c, dialect, keys.keySet());
        Sql.update(c, "UPDATE artifacts SET state = 'DELETING' WHERE task_id = ? AND state IN ('LIVE', 'PENDING')" + only,
                params.toArray());
        Map<String, Long> queued = new LinkedHashMap<>();
        PurgeSql.enqueue(c, dialect, id, keys, m.at()).forEach(k -> queued.put(k, keys.get(k)));
        return new MarkResult(Outcome.MARKED, null, children, kept, counts[1], counts[0], queued);
    }

    /**
     * {@link dev.reclaim.store.TaskStore#markAllForDeletion}, in the caller's transaction: the same
     * results, and the same rows written, as marking each task alone in the order given, except
     * that an independent task with at most {@link PendingDelete#WHOLE_TASK_MAX_OBJECTS} objects
     * gets one whole-task queue entry in place of one entry per object.
     *
     * <p>Marks that are independent of every other mark of the batch are made together, with a few
     * statements per {@link Sql#CHUNK} tasks instead of about eight per task; the others one by one,
     * in order. Independent: a whole-task mark, its task named once, up to date, without children,
     * inputs or models or artifacts already being deleted, its parent not in the batch, and every
     * storage key of its artifacts in no other artifact row. Such a mark reads and writes no row another mark of the batch reads or
     * writes (children re-pointed, kept models, the LIVE check of a shared key), so where it falls
     * in the order changes no result; every other mark keeps its place relative to the rest.
     */
    List<MarkResult> markAll(Connection c, List<DeletionMark> marks) throws SQLException {
        Map<String, List<Row>> independent = independent(c, marks);
        Map<String, MarkResult> together = independent.isEmpty() ? Map.of() : markTogether(c, marks, independent);
        List<MarkResult> results = new ArrayList<>(marks.size());
        for (DeletionMark m : marks) {
            MarkResult r = together.get(m.taskId());
            results.add(r != null ? r : mark(c, m));
        }
        return results;
    }

    /** The independent marks' tasks (see {@link #markAll}), each with its LIVE and PENDING artifacts in id order. */
    private Map<String, List<Row>> independent(Connection c, List<DeletionMark> marks) throws SQLException {
        Map<String, Integer> named = new HashMap<>();
        marks.forEach(m -> named.merge(m.taskId(), 1, Integer::sum));
        Map<String, Long> expected = new LinkedHashMap<>();
        for (DeletionMark m : marks) {
            if (m.wholeTask() && named.get(m.taskId()) == 1) {
                expected.put(m.taskId(), m.expectedVersion());
            }
        }
        Set<String> ids = new TreeSet<>(); // id order: concurrent markers lock rows in one order
        // a task with a hold is marked alone, which refuses it or releases its holds
        for (List<String> chunk : Sql.chunks(expected.keySet())) {
            Sql.list(c, "SELECT id, version, deleting_since, parent_id FROM tasks WHERE id IN (" + Sql.marks(chunk.size())
                    + ") ORDER BY id" + dialect.forUpdate(), rs -> {
                String parent = rs.getString("parent_id");
                if (rs.getLong("version") == expected.get(rs.getString("id")) && Sql.instant(rs, "deleting_since") == null
                        && (parent == null || !named.containsKey(parent))) {
                    ids.add(rs.getString("id"));
                }
                return null;
            }, chunk);
        }
        ids.removeAll(holds.heldIn(c, ids, null).keySet());
        for (List<String> chunk : Sql.chunks(new ArrayList<>(ids))) {
            String in = " IN (" + Sql.marks(chunk.size()) + ")";
            ids.removeAll(Sql.list(c, "SELECT DISTINCT parent_id FROM tasks WHERE parent_id" + in, rs -> rs.getString(1), chunk));
            ids.removeAll(Sql.list(c, "SELECT DISTINCT task_id FROM task_inputs WHERE task_id" + in, rs -> rs.getString(1), chunk));
            // an artifacts-only deletion still in progress: a whole-task entry would stand for its
            // objects too, which have entries of their own
            ids.removeAll(Sql.list(c, "SELECT DISTINCT task_id FROM artifacts WHERE state = 'DELETING' AND task_id" + in,
                    rs -> rs.getString(1), chunk));
        }
        Map<String, List<Row>> rows = new TreeMap<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(ids))) {
            String in = " IN (" + Sql.marks(chunk.size()) + ")";
            if (dialect.locksRows()) {
                // as a mark alone does: lock the artifact rows before reading them
                Sql.list(c, "SELECT id FROM artifacts WHERE task_id" + in + " ORDER BY id" + dialect.forUpdate(), rs -> null, chunk);
            }
            chunk.forEach(id -> rows.put(id, new ArrayList<>()));
            Sql.list(c, "SELECT task_id, id, kind, state, storage_key, size_bytes FROM artifacts WHERE task_id" + in
                    + " AND state IN ('LIVE', 'PENDING') ORDER BY task_id, id", rs -> rows.get(rs.getString(1)).add(new Row(
                    rs.getString(2), rs.getString(3).equals("MODEL"), rs.getString(4).equals("LIVE"), rs.getString(5),
                    rs.getLong(6))), chunk);
        }
        rows.values().removeIf(list -> list.stream().anyMatch(Row::model));
        Map<String, List<String>> tasksOfKey = new HashMap<>();
        rows.forEach((id, list) -> list.forEach(r -> tasksOfKey.computeIfAbsent(r.storageKey(), k -> new ArrayList<>()).add(id)));
        for (List<String> chunk : Sql.chunks(new ArrayList<>(tasksOfKey.keySet()))) {
            // counts rows in every state, the task's own included: a key in two rows is shared, and
            // every task of the batch with it depends on the others' marks
            Sql.list(c, "SELECT storage_key FROM artifacts WHERE storage_key IN (" + Sql.marks(chunk.size())
                    + ") GROUP BY storage_key HAVING COUNT(*) > 1", rs -> rows.keySet().removeAll(tasksOfKey.get(rs.getString(1))),
                    chunk);
        }
        return rows;
    }

    /** Marks the independent tasks, a chunk at a time; one result per task. */
    private Map<String, MarkResult> markTogether(Connection c, List<DeletionMark> marks, Map<String, List<Row>> independent)
            throws SQLException {
        Map<String, MarkResult> results = new HashMap<>();
        List<DeletionMark> together = marks.stream().filter(m -> independent.containsKey(m.taskId())).toList();
        for (List<DeletionMark> chunk : Sql.chunks(together)) {
            List<Object> ids = new ArrayList<>();
            Map<String, Integer> children = new HashMap<>();
            List<PurgeSql.Queued> entries = new ArrayList<>();
            List<PurgeSql.WholeTask> wholeTasks = new ArrayList<>();
            List<String> allKeys = new ArrayList<>();
            if (dialect.arrayParameters()) {
                markTaskRows(c, chunk);
            } else {
                // SQLite ran an UPDATE ... FROM (VALUES ...) of 500 tasks four times slower than
                // 500 single-row updates
                for (DeletionMark m : chunk) {
                    markTaskRow(c, m);
                }
            }
            // No children were found. Where rows are locked (PostgreSQL) one may have been added
            // since, by another transaction: it is re-pointed and counted as a mark alone would.
            // SQLite's one writer has added none since this transaction looked.
            Map<String, Integer> repointed = dialect.locksRows() ? repointChildren(c, chunk) : Map.of();
            for (DeletionMark m : chunk) {
                children.put(m.taskId(), repointed.getOrDefault(m.taskId(), 0));
                ids.add(m.taskId());
                List<Row> rows = independent.get(m.taskId());
                rows.forEach(r -> allKeys.add(r.storageKey()));
                if (!rows.isEmpty() && rows.size() <= PendingDelete.WHOLE_TASK_MAX_OBJECTS) {
                    // No other record has these keys, and none can get one while the entry is open
                    // (ArtifactSql refuses them): one entry stands for them all, read back when purged.
                    wholeTasks.add(new PurgeSql.WholeTask(m.taskId(), rows.size(),
                            rows.stream().mapToLong(Row::sizeBytes).sum(), m.at()));
                } else {
                    for (Row r : rows) {
                        entries.add(new PurgeSql.Queued(r.storageKey(), r.sizeBytes(), m.taskId(), m.at()));
                    }
                }
            }
            KeyLocks.lock(c, dialect, allKeys);
            Sql.update(c, "UPDATE artifacts SET state = 'DELETING' WHERE task_id IN (" + Sql.marks(ids.size())
                    + ") AND state IN ('LIVE', 'PENDING')", ids.toArray());
            Set<String> queued = new HashSet<>(PurgeSql.enqueue(c, dialect, entries));
            PurgeSql.enqueueWholeTasks(c, wholeTasks);
            for (PurgeSql.WholeTask w : wholeTasks) {
                independent.get(w.taskId()).forEach(r -> queued.add(r.storageKey()));
            }
            for (DeletionMark m : chunk) {
                List<Row> rows = independent.get(m.taskId());
                Map<String, Long> sizes = new LinkedHashMap<>();
                rows.stream().filter(r -> queued.contains(r.storageKey()))
                        .forEach(r -> sizes.merge(r.storageKey(), r.sizeBytes(), Math::max));
                results.put(m.taskId(), new MarkResult(Outcome.MARKED, null, children.get(m.taskId()), List.of(), 0,
                        rows.size(), sizes));
            }
        }
        return results;
    }

    /**
     * Why a mark of named artifacts is refused with refusePublished: of them, the published models
     * and the models another live task uses as input.
     */
    private Optional<String> protectedAmong(Connection c, DeletionMark m) throws SQLException {
        if (m.artifactIds().isEmpty()) {
            return Optional.empty();
        }
        List<Object> params = new ArrayList<>(List.of(m.taskId(), m.taskId()));
        params.addAll(named(m));
        List<String> why = Sql.list(c, "SELECT a.id, a.published FROM artifacts a WHERE a.task_id = ? AND a.kind = 'MODEL' "
                + "AND a.state = 'LIVE' AND (a.published = TRUE OR EXISTS (SELECT 1 FROM task_inputs i JOIN tasks o ON "
                + "o.id = i.task_id WHERE i.artifact_id = a.id AND o.id <> ? AND o.deleting_since IS NULL))"
                + onlyNamed(m, "a.id") + " ORDER BY a.id LIMIT " + (NAMED + 1),
                rs -> "model " + rs.getString(1) + (rs.getBoolean(2) ? " is published" : " is an input of another live task"),
                params);
        return why.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", why.size() > NAMED ? why.subList(0, NAMED) : why)
                + (why.size() > NAMED ? "; and more" : ""));
    }

    /** Why the mark is refused with refusePublished: PUBLISHED live children, published output models. */
    private Optional<String> refusal(Connection c, String id) throws SQLException {
        List<String> children = Sql.list(c, "SELECT id FROM tasks WHERE parent_id = ? AND status = 'PUBLISHED' "
                + "AND deleting_since IS NULL ORDER BY id LIMIT " + (NAMED + 1), rs -> rs.getString(1), id);
        List<String> models = Sql.list(c, "SELECT id FROM artifacts WHERE task_id = ? AND kind = 'MODEL' AND published = TRUE "
                + "AND state IN ('LIVE', 'PENDING') ORDER BY id LIMIT " + (NAMED + 1), rs -> rs.getString(1), id);
        if (children.isEmpty() && models.isEmpty()) {
            return Optional.empty();
        }
        List<String> why = new ArrayList<>();
        if (!children.isEmpty()) {
            why.add("PUBLISHED child task(s) " + names(children));
        }
        if (!models.isEmpty()) {
            why.add("published output model(s) " + names(models));
        }
        return Optional.of("task " + id + " has " + String.join(" and ", why));
    }

    private static String names(List<String> ids) {
        return ids.size() > NAMED ? String.join(", ", ids.subList(0, NAMED)) + " and more" : String.join(", ", ids);
    }

    /** Marks the task row; for a whole task re-points its children. Returns the number of children. */
    private static int markTask(Connection c, DeletionMark m) throws SQLException {
        if (!m.wholeTask()) {
            Sql.update(c, "UPDATE tasks SET delete_actor = ?, delete_reason = ?, delete_run = ?, "
                    + "delete_action = 'delete-artifacts', version = version + 1 WHERE id = ?", Sql.text(m.actor()),
                    Sql.text(m.reason()), Sql.text(m.runId()), m.taskId());
            return 0;
        }
        markTaskRow(c, m);
        return repointChildren(c, m.taskId(), m.at());
    }

    /** Marks a whole task's row: no longer live, with who deletes it and why; a new version. */
    private static void markTaskRow(Connection c, DeletionMark m) throws SQLException {
        Sql.update(c, "UPDATE tasks SET deleting_since = ?, delete_whole = TRUE, delete_actor = ?, delete_reason = ?, "
                        + "delete_run = ?, delete_action = 'delete-task', version = version + 1 WHERE id = ?",
                Sql.ms(m.at()), Sql.text(m.actor()), Sql.text(m.reason()), Sql.text(m.runId()), m.taskId());
    }

    /** {@link #markTaskRow} of many tasks in one statement (array parameters, {@link Dialect#arrayParameters()}). */
    private static void markTaskRows(Connection c, List<DeletionMark> marks) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE tasks t SET deleting_since = m.at, delete_whole = TRUE, "
                + "delete_actor = m.actor, delete_reason = m.reason, delete_run = m.run, delete_action = 'delete-task', "
                + "version = t.version + 1 FROM unnest(?::text[], ?::int8[], ?::text[], ?::text[], ?::text[]) "
                + "AS m(id, at, actor, reason, run) WHERE t.id = m.id")) {
            ps.setArray(1, taskIds(c, marks));
            ps.setArray(2, ats(c, marks));
            ps.setArray(3, c.createArrayOf("text", marks.stream().map(DeletionMark::actor).toArray()));
            ps.setArray(4, c.createArrayOf("text", marks.stream().map(DeletionMark::reason).toArray()));
            ps.setArray(5, c.createArrayOf("text", marks.stream().map(DeletionMark::runId).toArray()));
            ps.executeUpdate();
        }
    }

    /**
     * {@link #repointChildren(Connection, String, Instant)} for many tasks in one statement (array
     * parameters); how many children each had.
     */
    private static Map<String, Integer> repointChildren(Connection c, List<DeletionMark> marks) throws SQLException {
        Map<String, Integer> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("WITH u AS (UPDATE tasks t SET parent_id = ?, last_update_at = m.at, "
                + "version = t.version + 1 FROM unnest(?::text[], ?::int8[]) AS m(id, at) WHERE t.parent_id = m.id "
                + "RETURNING m.id) SELECT id, COUNT(*) FROM u GROUP BY id")) {
            ps.setString(1, Task.DELETED_PARENT);
            ps.setArray(2, taskIds(c, marks));
            ps.setArray(3, ats(c, marks));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        return out;
    }

    private static Array taskIds(Connection c, List<DeletionMark> marks) throws SQLException {
        return c.createArrayOf("text", marks.stream().map(DeletionMark::taskId).toArray());
    }

    private static Array ats(Connection c, List<DeletionMark> marks) throws SQLException {
        return c.createArrayOf("int8", marks.stream().map(m -> m.at().toEpochMilli()).toArray());
    }

    /** Children get {@link Task#DELETED_PARENT} as parent; a new version, so stale replaces cannot undo it. */
    static int repointChildren(Connection c, String taskId, Instant at) throws SQLException {
        return Sql.update(c, "UPDATE tasks SET parent_id = ?, last_update_at = ?, version = version + 1 WHERE parent_id = ?",
                Task.DELETED_PARENT, Sql.ms(at), taskId);
    }

    /** The condition that limits a statement to the artifacts the mark names ({@link #named}): none when it names none. */
    private static String onlyNamed(DeletionMark m, String column) {
        if (m.artifactIds() == null) {
            return "";
        }
        return m.artifactIds().isEmpty() ? " AND 1 = 0" : " AND " + column + " IN (" + Sql.marks(m.artifactIds().size()) + ")";
    }

    /** The parameters of {@link #onlyNamed}, in a fixed order. */
    private static List<Object> named(DeletionMark m) {
        return m.artifactIds() == null ? List.of() : new ArrayList<>(new TreeSet<>(m.artifactIds()));
    }

    /**
     * Detaches (task_id NULL) the LIVE models to keep: published, input of another live task, or all
     * when not deleting models, which records that they were kept on request: those stay when their
     * last user goes, the others only if published.
     */
    private static List<String> detachKeptModels(Connection c, DeletionMark m) throws SQLException {
        String id = m.taskId();
        List<Object> params = new ArrayList<>(List.of(id, !m.deleteOutputModels(), id));
        params.addAll(named(m));
        List<String> kept = Sql.list(c, "SELECT a.id FROM artifacts a WHERE a.task_id = ? AND a.kind = 'MODEL' AND a.state = 'LIVE' "
                + "AND (? OR a.published = TRUE OR EXISTS (SELECT 1 FROM task_inputs i JOIN tasks o ON o.id = i.task_id "
                + "WHERE i.artifact_id = a.id AND o.id <> ? AND o.deleting_since IS NULL))" + onlyNamed(m, "a.id")
                + " ORDER BY a.id", rs -> rs.getString(1), params);
        for (List<String> chunk : Sql.chunks(kept)) {
            List<Object> update = new ArrayList<>(List.of(!m.deleteOutputModels()));
            update.addAll(chunk);
            Sql.update(c, "UPDATE artifacts SET task_id = NULL, kept_on_request = ? WHERE id IN (" + Sql.marks(chunk.size())
                    + ")", update.toArray());
        }
        return kept;
    }

    /** The detached LIVE models a task uses as input: a join its callers complete with conditions. */
    private static final String DETACHED_INPUTS = "FROM task_inputs i JOIN artifacts a ON a.id = i.artifact_id "
            + "WHERE i.task_id = ? AND a.task_id IS NULL AND a.kind = 'MODEL' AND a.state = 'LIVE'";

    /**
     * The models, detached from their deleted task, that the task being marked was the last live
     * user of, unless published or kept on request: each is handed to this task (task_id set to it),
     * so that it is marked, purged, finished and audited with the task's own artifacts. Kept only for
     * its users, such a model would otherwise stay with no owner and no user.
     */
    private List<Row> releaseDetachedInputs(Connection c, String id) throws SQLException {
        if (dialect.locksRows()) {
            // Lock them before deciding, as the task's own models are: a task taking one as input, or
            // a publish, either commits first (and the next statement sees it) or waits for this mark
            // (and then finds the model DELETING).
            Sql.list(c, "SELECT a.id " + DETACHED_INPUTS + " ORDER BY a.id" + dialect.forUpdate(), rs -> null, id);
        }
        List<Row> released = Sql.list(c, "SELECT DISTINCT a.id, a.storage_key, a.size_bytes " + DETACHED_INPUTS
                + " AND a.published = FALSE AND a.kept_on_request = FALSE AND NOT EXISTS (SELECT 1 FROM task_inputs j "
                + "JOIN tasks o ON o.id = j.task_id WHERE j.artifact_id = a.id AND o.id <> ? AND o.deleting_since IS NULL) "
                + "ORDER BY a.id", rs -> new Row(rs.getString(1), true, true, rs.getString(2), rs.getLong(3)), id, id);
        for (Row r : released) {
            Sql.update(c, "UPDATE artifacts SET task_id = ? WHERE id = ? AND task_id IS NULL", id, r.id());
        }
        return released;
    }
}
