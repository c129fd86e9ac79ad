package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.StoredObject;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.StorageKeys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Artifact records. */
final class ArtifactSql {
    private final Dialect dialect;

    ArtifactSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** Validates every artifact first, then inserts them all; one refused artifact inserts nothing. */
    void insert(Connection c, Collection<Artifact> artifacts) throws SQLException {
        Map<String, Instant> deletingSince = new HashMap<>();
        if (dialect.locksRows()) {
            // Task rows first, then keys: the order a deletion mark takes them in, so the two cannot
            // deadlock; sorted, so two inserts cannot either.
            for (String taskId : new TreeSet<>(artifacts.stream().map(Artifact::taskId)
                    .filter(Objects::nonNull).toList())) {
                Sql.list(c, "SELECT id FROM tasks WHERE id = ?" + dialect.forUpdate(), rs -> null, taskId);
            }
            KeyLocks.lock(c, dialect, artifacts.stream().map(Artifact::storageKey).filter(Objects::nonNull).toList());
        }
        Map<String, String> batchKeys = new HashMap<>();
        for (Artifact a : artifacts) {
            validate(c, a, deletingSince);
            if (a.state() == ArtifactState.PENDING) {
                requireUnusedKey(c, a, batchKeys);
            }
            batchKeys.putIfAbsent(a.storageKey(), a.id());
        }
        insertRows(c, artifacts);
    }

    private static void insertRows(Connection c, Collection<Artifact> artifacts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifacts (id, task_id, kind, name, storage_key, "
                + "size_bytes, created_at, published, state, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Artifact a : artifacts) {
                Sql.bind(ps, List.of(a.id(), a.taskId(), a.kind().name(), a.name(), a.storageKey(), a.sizeBytes(),
                        Sql.ms(a.createdAt()), a.published(), a.state().name(), Sql.text(a.sha256())));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** An object registered in place is a LIVE artifact of a task, under a recorded key; else it is refused. */
    private static void requireRegistrable(Artifact a) {
        String what = "artifact " + a.id() + " ('" + a.name() + "')";
        if (a.state() != ArtifactState.LIVE || a.taskId() == null) {
            throw new InvalidArgumentException(what + " is refused: an object is registered in place as a LIVE artifact "
                    + "of a task");
        }
        try {
            StorageKeys.validateRecorded(a.storageKey());
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(what + " is refused: " + e.getMessage());
        }
    }

    /**
     * Registers an object in place: the task's row is locked first and then the key (on PostgreSQL;
     * SQLite has one writer), the order of a deletion mark, so that a mark queueing this key either
     * came before (the key is found queued) or sees this LIVE record after.
     */
    ArtifactCatalog.Registration register(Connection c, Artifact a, Collection<String> replacing) throws SQLException {
        requireRegistrable(a);
        Optional<String> status = lockLiveTask(c, a.taskId());
        if (status.isEmpty()) {
            return ArtifactCatalog.Registration.TASK_NOT_LIVE;
        }
        if (dialect.locksRows()) {
            KeyLocks.lock(c, dialect, List.of(a.storageKey()));
        }
        List<String> holders = Sql.list(c, "SELECT id FROM artifacts WHERE task_id = ? AND kind = ? AND name = ? "
                + "AND state = 'LIVE'", rs -> rs.getString(1), a.taskId(), a.kind().name(), a.name());
        if (!replacing.containsAll(holders)) {
            return ArtifactCatalog.Registration.NAME_TAKEN;
        }
        if (queuedForDeletion(c, a.storageKey())) {
            return ArtifactCatalog.Registration.KEY_QUEUED;
        }
        boolean published = a.published() || (status.get().equals("PUBLISHED") && a.kind() == ArtifactKind.MODEL);
        insertRows(c, List.of(a.withPublished(published)));
        return ArtifactCatalog.Registration.REGISTERED;
    }

    /**
     * Registers many objects in place in one transaction, each judged as {@link #register} judges one
     * (without replacing): the task rows are locked first, sorted, then the keys (PostgreSQL), the
     * order of a deletion mark. Names are checked against the tasks' LIVE artifacts and the earlier
     * items of the call, keys against the pending-delete queue, each with one query per chunk.
     */
    List<ArtifactCatalog.Registration> registerAll(Connection c, List<Artifact> list) throws SQLException {
        for (Artifact a : list) {
            requireRegistrable(a);
        }
        Map<String, Optional<String>> status = new HashMap<>();
        for (String taskId : new TreeSet<>(list.stream().map(Artifact::taskId).toList())) {
            status.put(taskId, lockLiveTask(c, taskId));
        }
        if (dialect.locksRows()) {
            KeyLocks.lock(c, dialect, list.stream().map(Artifact::storageKey).toList());
        }
        Map<String, List<String>> namesByTaskKind = new LinkedHashMap<>();
        for (Artifact a : list) {
            namesByTaskKind.computeIfAbsent(a.taskId() + "\n" + a.kind().name(), k -> new ArrayList<>()).add(a.name());
        }
        Set<String> taken = new HashSet<>();
        for (Map.Entry<String, List<String>> e : namesByTaskKind.entrySet()) {
            String[] taskKind = e.getKey().split("\n", 2);
            for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(e.getValue()))) {
                List<Object> params = new ArrayList<>(List.of(taskKind[0], taskKind[1]));
                params.addAll(chunk);
                for (String name : Sql.list(c, "SELECT name FROM artifacts WHERE task_id = ? AND kind = ? AND state = 'LIVE' "
                        + "AND name IN (" + Sql.marks(chunk.size()) + ")", rs -> rs.getString(1), params)) {
                    taken.add(e.getKey() + "\n" + name);
                }
            }
        }
        Set<String> queued = queuedForDeletion(c, list.stream().map(Artifact::storageKey).distinct().toList());
        List<ArtifactCatalog.Registration> out = new ArrayList<>(list.size());
        List<Artifact> inserts = new ArrayList<>();
        for (Artifact a : list) {
            Optional<String> s = status.get(a.taskId());
            String name = a.taskId() + "\n" + a.kind().name() + "\n" + a.name();
            if (s.isEmpty()) {
                out.add(ArtifactCatalog.Registration.TASK_NOT_LIVE);
            } else if (!taken.add(name)) {
                out.add(ArtifactCatalog.Registration.NAME_TAKEN);
            } else if (queued.contains(a.storageKey())) {
                taken.remove(name);
                out.add(ArtifactCatalog.Registration.KEY_QUEUED);
            } else {
                boolean published = a.published() || (s.get().equals("PUBLISHED") && a.kind() == ArtifactKind.MODEL);
                inserts.add(a.withPublished(published));
                out.add(ArtifactCatalog.Registration.REGISTERED);
            }
        }
        insertRows(c, inserts);
        return out;
    }

    /** The keys among {@code keys} in an open pending-delete entry, of their own or of a whole task's. */
    private static Set<String> queuedForDeletion(Connection c, List<String> keys) throws SQLException {
        Set<String> queued = new HashSet<>();
        for (List<String> chunk : Sql.chunks(keys)) {
            String in = Sql.marks(chunk.size());
            queued.addAll(Sql.list(c, "SELECT storage_key FROM pending_deletes WHERE state = 'OPEN' AND storage_key IN ("
                    + in + ")", rs -> rs.getString(1), chunk));
            queued.addAll(Sql.list(c, "SELECT a.storage_key FROM artifacts a JOIN pending_deletes p ON p.storage_key = '"
                    + PendingDelete.WHOLE_TASK_PREFIX + "' || a.task_id AND p.state = 'OPEN' WHERE a.storage_key IN (" + in
                    + ") AND a.state = 'DELETING'", rs -> rs.getString(1), chunk));
        }
        return queued;
    }

    /** True when the key is in an open pending-delete entry, of its own or as an object of a whole task's entry. */
    private static boolean queuedForDeletion(Connection c, String key) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM pending_deletes WHERE storage_key = ? AND state = 'OPEN'", key)
                || Sql.exists(c, "SELECT 1 FROM artifacts a JOIN pending_deletes p ON p.storage_key = '"
                + PendingDelete.WHOLE_TASK_PREFIX + "' || a.task_id AND p.state = 'OPEN' WHERE a.storage_key = ? "
                + "AND a.state = 'DELETING'", key);
    }

    private void validate(Connection c, Artifact a, Map<String, Instant> deletingSince) throws SQLException {
        String what = "artifact " + a.id() + " ('" + a.name() + "')";
        if (a.state() == ArtifactState.DELETING) {
            throw new InvalidArgumentException(what + " is refused: new artifacts are PENDING or LIVE, not DELETING");
        }
        if (a.taskId() == null) {
            throw new InvalidArgumentException(what + " is refused: it names no task; every new artifact belongs to a task");
        }
        try {
            StorageKeys.validateRecorded(a.storageKey());
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException(what + " is refused: " + e.getMessage());
        }
        if (a.state() == ArtifactState.PENDING && StorageKeys.isMounted(a.storageKey())) {
            throw new InvalidArgumentException(what + " is refused: its key '" + a.storageKey() + "' is in a named "
                    + "artifact store, where Reclaim never writes; objects there are registered in place, never uploaded");
        }
        if (!deletingSince.containsKey(a.taskId())) {
            Optional<Optional<Instant>> task = Sql.one(c, "SELECT deleting_since FROM tasks WHERE id = ?" + dialect.forUpdate(),
                    rs -> Optional.ofNullable(Sql.instant(rs, "deleting_since")), a.taskId());
            if (task.isEmpty()) {
                throw new InvalidArgumentException(what + " is refused: task " + a.taskId() + " does not exist");
            }
            deletingSince.put(a.taskId(), task.get().orElse(null));
        }
        if (deletingSince.get(a.taskId()) != null) {
            throw new InvalidArgumentException(what + " is refused: task " + a.taskId() + " is being deleted");
        }
        if (Sql.exists(c, "SELECT 1 FROM pending_deletes WHERE storage_key = ? AND state = 'OPEN'", a.storageKey())) {
            throw new InvalidArgumentException(what + " is refused: its storage key '" + a.storageKey()
                    + "' is queued for deletion and would be deleted under a live reference; store the object under a new key");
        }
        // the same for a key whose object a whole-task entry stands for
        if (Sql.exists(c, "SELECT 1 FROM artifacts a JOIN pending_deletes p ON p.storage_key = '" + PendingDelete.WHOLE_TASK_PREFIX
                + "' || a.task_id AND p.state = 'OPEN' WHERE a.storage_key = ? AND a.state = 'DELETING'", a.storageKey())) {
            throw new InvalidArgumentException(what + " is refused: its storage key '" + a.storageKey()
                    + "' is queued for deletion with its task and would be deleted under a live reference; store the object "
                    + "under a new key");
        }
    }

    /**
     * A PENDING artifact announces bytes about to be written under its key: refused when another
     * LIVE or PENDING record (or another artifact of the same call) has that key, since the write
     * would replace bytes a record describes. LIVE artifacts may share keys: they reference an
     * object that is already there and write nothing.
     */
    private static void requireUnusedKey(Connection c, Artifact a, Map<String, String> batchKeys) throws SQLException {
        String holder = batchKeys.get(a.storageKey());
        if (holder == null) {
            holder = Sql.one(c, "SELECT id FROM artifacts WHERE storage_key = ? AND state IN ('LIVE', 'PENDING') ORDER BY id "
                    + "LIMIT 1", rs -> rs.getString(1), a.storageKey()).orElse(null);
        }
        if (holder != null) {
            throw new InvalidArgumentException("artifact " + a.id() + " ('" + a.name() + "') is refused: its storage key '"
                    + a.storageKey() + "' already belongs to artifact " + holder + ", and a new upload never replaces "
                    + "stored bytes; store it under a new key");
        }
    }

    /**
     * Activates one added artifact, recording what was stored for it, unless another LIVE artifact
     * of its task, other than those it replaces, has its kind and name. The task's row is locked
     * first (on PostgreSQL; SQLite has one writer), so of two adds of one name the second to get
     * here sees the first's LIVE row.
     */
    ArtifactCatalog.Activation activateAdded(Connection c, String taskId, String artifactId, StoredObject stored,
                                       Collection<String> replacing) throws SQLException {
        Optional<String> status = lockLiveTask(c, taskId);
        if (status.isEmpty()) {
            return ArtifactCatalog.Activation.NOT_PENDING;
        }
        List<String> holders = Sql.list(c, "SELECT a.id FROM artifacts a JOIN artifacts me ON me.id = ? AND me.task_id = a.task_id "
                + "AND me.kind = a.kind AND me.name = a.name WHERE a.task_id = ? AND a.state = 'LIVE' AND a.id <> me.id",
                rs -> rs.getString(1), artifactId, taskId);
        if (!replacing.containsAll(holders)) {
            return ArtifactCatalog.Activation.NAME_TAKEN;
        }
        if (!activateLocked(c, taskId, List.of(artifactId), status.get())) {
            return ArtifactCatalog.Activation.NOT_PENDING;
        }
        recordContent(c, taskId, Map.of(artifactId, stored));
        return ArtifactCatalog.Activation.ACTIVATED;
    }

    /** Sets the size and checksum of the task's LIVE artifacts as stored. */
    static void recordContent(Connection c, String taskId, Map<String, StoredObject> stored)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE artifacts SET size_bytes = ?, sha256 = ? WHERE id = ? AND task_id = ? "
                + "AND state = 'LIVE'")) {
            for (Map.Entry<String, StoredObject> e : stored.entrySet()) {
                Sql.bind(ps, List.of(e.getValue().sizeBytes(), e.getValue().sha256(), e.getKey(), taskId));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** PENDING artifacts registered before the cutoff, oldest first (served by ix_artifacts_pending). */
    static List<Artifact> pendingBefore(Connection c, Instant createdBefore, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.state = 'PENDING' "
                + "AND a.created_at < ? ORDER BY a.created_at, a.id LIMIT ?", TaskRows::artifact, Sql.ms(createdBefore),
                Math.max(0, limit));
    }

    static boolean dropPending(Connection c, String id) throws SQLException {
        return Sql.update(c, "DELETE FROM artifacts WHERE id = ? AND state = 'PENDING'", id) == 1;
    }

    static List<String> liveUsers(Connection c, String artifactId) throws SQLException {
        return Sql.list(c, "SELECT DISTINCT i.task_id FROM task_inputs i JOIN tasks t ON t.id = i.task_id "
                + "JOIN artifacts a ON a.id = i.artifact_id WHERE i.artifact_id = ? AND t.deleting_since IS NULL "
                + "AND (a.task_id IS NULL OR a.task_id <> t.id) ORDER BY i.task_id", rs -> rs.getString(1), artifactId);
    }

    /** A page of a task's LIVE artifacts by id, after {@code afterId} (null for the first). */
    static List<Artifact> liveOfTask(Connection c, String taskId, String afterId, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.task_id = ? AND a.state = 'LIVE' "
                + "AND a.id > ? ORDER BY a.id LIMIT ?", TaskRows::artifact, taskId, afterId == null ? "" : afterId, limit);
    }

    static List<Artifact> ofTask(Connection c, String taskId) throws SQLException {
        return Sql.list(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.task_id = ? ORDER BY a.id",
                TaskRows::artifact, taskId);
    }

    static Optional<Artifact> find(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.id = ?", TaskRows::artifact, id);
    }

    static boolean setPublished(Connection c, String id, boolean published) throws SQLException {
        return Sql.update(c, "UPDATE artifacts SET published = ? WHERE id = ? AND state = 'LIVE'", published, id) == 1;
    }

    /** Sets the published flag on every LIVE model of a task. */
    static void publishModelsOf(Connection c, String taskId) throws SQLException {
        Sql.update(c, "UPDATE artifacts SET published = TRUE WHERE task_id = ? AND kind = 'MODEL' AND state = 'LIVE' "
                + "AND published = FALSE", taskId);
    }

    /** Live bytes per task: one grouped query per chunk of ids, served by ix_artifacts_task. */
    static Map<String, Long> liveBytes(Connection c, Collection<String> taskIds) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String id : taskIds) {
            out.put(id, 0L);
        }
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(taskIds))) {
            for (Object[] row : Sql.list(c, "SELECT task_id, SUM(size_bytes) AS n FROM artifacts WHERE state = 'LIVE' AND task_id IN ("
                    + Sql.marks(chunk.size()) + ") GROUP BY task_id", rs -> new Object[]{rs.getString("task_id"), rs.getLong("n")}, chunk)) {
                out.put((String) row[0], (Long) row[1]);
            }
        }
        return out;
    }

    static boolean referencedByLive(Connection c, String storageKey) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM artifacts WHERE storage_key = ? AND state = 'LIVE'", storageKey);
    }

    /**
     * Locks the task row where rows are locked, so a concurrent deletion mark or publish comes wholly
     * before or after what follows in the transaction; returns its status, or empty when the task is
     * missing or being deleted.
     */
    private Optional<String> lockLiveTask(Connection c, String taskId) throws SQLException {
        return Sql.list(c, "SELECT status FROM tasks WHERE id = ? AND deleting_since IS NULL" + dialect.forUpdate(),
                rs -> rs.getString(1), taskId).stream().findFirst();
    }

    /**
     * Makes PENDING artifacts of a task locked by {@link #lockLiveTask} LIVE, if all of them are
     * PENDING. A model that becomes LIVE in a PUBLISHED task is published in the same transaction: a
     * published task never has an unpublished model, whichever of the add and the publish came first.
     */
    private static boolean activateLocked(Connection c, String taskId, Collection<String> ids, String status)
            throws SQLException {
        long pending = 0;
        for (List<String> chunk : Sql.chunks(ids)) {
            List<Object> params = new ArrayList<>(chunk);
            params.add(0, taskId);
            pending += Sql.list(c, "SELECT COUNT(*) AS n FROM artifacts WHERE task_id = ? AND state = 'PENDING' AND id IN ("
                    + Sql.marks(chunk.size()) + ")", rs -> rs.getLong("n"), params).get(0);
        }
        if (pending != ids.size()) {
            return false;
        }
        for (List<String> chunk : Sql.chunks(ids)) {
            List<Object> params = new ArrayList<>(chunk);
            params.add(0, taskId);
            try (PreparedStatement ps = c.prepareStatement("UPDATE artifacts SET state = 'LIVE' WHERE task_id = ?"
                    + " AND state = 'PENDING' AND id IN (" + Sql.marks(chunk.size()) + ")")) {
                Sql.bind(ps, params);
                ps.executeUpdate();
            }
        }
        if (status.equals("PUBLISHED")) {
            publishModelsOf(c, taskId);
        }
        return true;
    }
    /**
     * {@link #register} of many records, all or nothing: task rows, then keys, are locked in sorted
     * order (as {@link #insert} does), each record is judged in order against the stored records and
     * those before it in the batch, and only when none is refused are they all inserted, with
     * their metrics.
     */
    ArtifactCatalog.BatchRegistration registerBatch(Connection c, List<Artifact> live, Collection<String> replacing,
                                                    Map<String, Map<String, Double>> metrics) throws SQLException {
        Set<String> ids = new HashSet<>();
        for (Artifact a : live) {
            requireRegistrable(a);
            ids.add(a.id());
        }
        for (String id : metrics.keySet()) {
            if (!ids.contains(id)) {
                throw new InvalidArgumentException("metrics are given for artifact " + id + ", which is not in the batch");
            }
        }
        Map<String, String> statuses = new HashMap<>();
        for (String taskId : new TreeSet<>(live.stream().map(Artifact::taskId).toList())) {
            lockLiveTask(c, taskId).ifPresent(status -> statuses.put(taskId, status));
        }
        if (dialect.locksRows()) {
            KeyLocks.lock(c, dialect, live.stream().map(Artifact::storageKey).toList());
        }
        Set<List<String>> names = new HashSet<>();
        List<Artifact> rows = new ArrayList<>(live.size());
        for (int i = 0; i < live.size(); i++) {
            Artifact a = live.get(i);
            String status = statuses.get(a.taskId());
            if (status == null) {
                return new ArtifactCatalog.BatchRegistration(ArtifactCatalog.Registration.TASK_NOT_LIVE, i);
            }
            List<String> name = List.of(a.taskId(), a.kind().name(), a.name());
            List<String> holders = Sql.list(c, "SELECT id FROM artifacts WHERE task_id = ? AND kind = ? AND name = ? "
                    + "AND state = 'LIVE'", rs -> rs.getString(1), a.taskId(), a.kind().name(), a.name());
            if (!names.add(name) || !replacing.containsAll(holders)) {
                return new ArtifactCatalog.BatchRegistration(ArtifactCatalog.Registration.NAME_TAKEN, i);
            }
            if (queuedForDeletion(c, a.storageKey())) {
                return new ArtifactCatalog.BatchRegistration(ArtifactCatalog.Registration.KEY_QUEUED, i);
            }
            rows.add(a.withPublished(a.published() || (status.equals("PUBLISHED") && a.kind() == ArtifactKind.MODEL)));
        }
        insertRows(c, rows);
        MetricSql.merge(c, metrics);
        return ArtifactCatalog.BatchRegistration.ALL_REGISTERED;
    }
}
