package dev.reclaim.jdbc;

import dev.reclaim.store.DeletedObjects;
import dev.reclaim.store.PendingDelete;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.QueueClaim;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Step 3 of the deletion protocol: the durable pending-delete queue. */
final class PurgeSql {
    private final Dialect dialect;

    PurgeSql(Dialect dialect) {
        this.dialect = dialect;
    }

    private record Candidate(PendingDelete entry, boolean live) {
    }

    /**
     * Claims due, unclaimed OPEN entries. Entries whose key a LIVE artifact references again are
     * removed from the queue instead; the search goes on until {@code limit} entries are claimed or
     * no due entry is left. Each claimed entry records its claimant (NULL for none).
     */
    List<PendingDelete> claim(Connection c, Collection<String> taskIds, int limit, Instant now, Instant claimUntil,
                              ProcessIdentity claimant) throws SQLException {
        if (limit <= 0 || (taskIds != null && taskIds.isEmpty())) {
            return List.of();
        }
        List<String> tasks = taskIds == null ? null : new ArrayList<>(new LinkedHashSet<>(taskIds));
        List<PendingDelete> claimed = new ArrayList<>();
        while (claimed.size() < limit) {
            int want = limit - claimed.size();
            List<Object> params = new ArrayList<>(List.of(Sql.ms(now), Sql.ms(now)));
            if (tasks != null) {
                params.addAll(tasks);
            }
            params.add(want);
            List<Candidate> batch = Sql.list(c, claimSql(dialect, tasks == null ? -1 : tasks.size()),
                    rs -> new Candidate(claimed(rs), rs.getInt("live") == 1), params);
            List<Long> drop = batch.stream().filter(Candidate::live).map(x -> x.entry().id()).toList();
            List<PendingDelete> take = batch.stream().filter(x -> !x.live()).map(Candidate::entry).toList();
            setIds(c, "DELETE FROM pending_deletes WHERE id IN ", List.of(), drop);
            setIds(c, "UPDATE pending_deletes SET claimed_until = ?, claimed_by = ?, claims = claims + 1 WHERE id IN ",
                    List.of(Sql.ms(claimUntil), Sql.text(claimant == null ? null : claimant.encode())),
                    take.stream().map(PendingDelete::id).toList());
            claimed.addAll(take);
            if (batch.size() < want || drop.isEmpty()) {
                break;
            }
        }
        return claimed;
    }

    /**
     * The claim's query. Parameters: now (due), now (claim expired), the task ids, the limit.
     *
     * @param tasks how many task ids it filters by; negative for the whole queue
     */
    static String claimSql(Dialect dialect, int tasks) {
        String due = "p.next_attempt_at <= ?";
        String taskFilter = "";
        String order = " ORDER BY p.next_attempt_at, p.id";
        if (tasks >= 0) {
            // The tasks' own entries, through ix_pending_deletes_task: "+ 0" keeps the planner off
            // the due index, which it prefers when statistics were taken with an empty queue (as
            // they are after every cleanup run) and which then walks every due entry of the
            // queue, other tasks' and those claimed before included, on every claim.
            due = "p.next_attempt_at + 0 <= ?";
            taskFilter = " AND p.task_id IN (" + Sql.marks(tasks) + ")";
            order = " ORDER BY p.task_id, p.id";
        }
        return "SELECT p.id, p.storage_key, p.task_id, p.size_bytes, p.attempts, p.last_error, p.claims, "
                + "CASE WHEN EXISTS (SELECT 1 FROM artifacts a WHERE a.storage_key = p.storage_key AND a.state = 'LIVE') "
                + "THEN 1 ELSE 0 END AS live FROM pending_deletes p WHERE p.state = 'OPEN' AND " + due
                + " AND (p.claimed_until IS NULL OR p.claimed_until <= ?)" + taskFilter + order + " LIMIT ?" + dialect.claimLock();
    }

    /** {@link dev.reclaim.store.TaskStore#queueClaims}. */
    static List<QueueClaim> claims(Connection c, Collection<String> taskIds, Instant now) throws SQLException {
        String sql = "SELECT task_id, claimed_by, COUNT(*), MAX(claimed_until) FROM pending_deletes WHERE state = 'OPEN' "
                + "AND claimed_until > ?%s GROUP BY task_id, claimed_by ORDER BY task_id, claimed_by";
        Sql.Row<QueueClaim> row = rs -> new QueueClaim(rs.getString(1), rs.getString(2), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getLong(3));
        if (taskIds == null) {
            return Sql.list(c, String.format(sql, ""), row, Sql.ms(now));
        }
        List<QueueClaim> out = new ArrayList<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(new LinkedHashSet<>(taskIds)))) {
            List<Object> params = new ArrayList<>(List.of(Sql.ms(now)));
            params.addAll(chunk);
            out.addAll(Sql.list(c, String.format(sql, " AND task_id IN (" + Sql.marks(chunk.size()) + ")"), row, params));
        }
        return out;
    }

    /** {@link dev.reclaim.store.TaskStore#unattendedDeletions}. */
    static long unattended(Connection c, Instant now, Instant queuedBefore) throws SQLException {
        // entries that failed are fsck's "failing deletes" already, and wait for their retry time
        return Sql.list(c, "SELECT COUNT(*) FROM pending_deletes WHERE state = 'OPEN' AND task_id IS NULL AND attempts = 0 "
                + "AND (claimed_until IS NULL OR claimed_until <= ?) AND created_at < ?", rs -> rs.getLong(1),
                Sql.ms(now), Sql.ms(queuedBefore)).get(0);
    }

    /** {@link dev.reclaim.store.TaskStore#releaseQueueClaims}. */
    static int release(Connection c, String claimedBy, Instant now) throws SQLException {
        return Sql.update(c, "UPDATE pending_deletes SET claimed_until = NULL WHERE state = 'OPEN' AND claimed_by = ? "
                + "AND claimed_until > ?", claimedBy, Sql.ms(now));
    }

    /** Rows per queueing statement: four parameters each, well under every engine's limit. */
    private static final int QUEUE_ROWS = 250;

    /** A storage key to queue for deletion: the bytes it frees, its task (null for none), when. */
    record Queued(String key, long sizeBytes, String taskId, Instant at) {
    }

    /**
     * Queues keys of one task (or of none: {@code taskId} null) for deletion: each gets an OPEN
     * entry unless it already has one or a LIVE artifact references it.
     *
     * @param sizeByKey the keys, with the bytes each frees
     * @return the keys queued by this call, in the order of {@code sizeByKey}
     */
    static List<String> enqueue(Connection c, Dialect dialect, String taskId, Map<String, Long> sizeByKey, Instant at)
            throws SQLException {
        List<Queued> entries = new ArrayList<>(sizeByKey.size());
        sizeByKey.forEach((k, size) -> entries.add(new Queued(k, size, taskId, at)));
        Set<String> inserted = enqueue(c, dialect, entries);
        return sizeByKey.keySet().stream().filter(inserted::contains).toList();
    }

    /**
     * Queues keys, each with its own task and time, on the same terms, in as few statements as
     * the engine's parameter limits allow. No two entries may have the same key.
     *
     * @return the keys queued by this call
     */
    static Set<String> enqueue(Connection c, Dialect dialect, List<Queued> entries) throws SQLException {
        Set<String> inserted = new HashSet<>();
        for (int i = 0; i < entries.size(); i += QUEUE_ROWS) {
            List<Queued> chunk = entries.subList(i, Math.min(entries.size(), i + QUEUE_ROWS));
            List<Object> params = new ArrayList<>(chunk.size() * 4);
            for (Queued q : chunk) {
                params.add(q.key());
                params.add(q.sizeBytes());
                params.add(q.taskId() == null ? Sql.NULL_TEXT : q.taskId());
                params.add(Sql.ms(q.at()));
            }
            inserted.addAll(Sql.list(c, dialect.insertOpenPendingDeletes(chunk.size()), rs -> rs.getString(1), params));
        }
        return inserted;
    }

    /** A whole-task entry to queue: the task, how many objects of how many bytes it stands for, when. */
    record WholeTask(String taskId, long objects, long bytes, Instant at) {
    }

    /** Rows per whole-task queueing statement: six parameters each. */
    private static final int WHOLE_TASK_ROWS = 150;

    /**
     * Queues one OPEN whole-task entry per task ({@link PendingDelete#wholeTask}). The caller makes
     * sure each task's objects are in no other artifact record and that it has no entry yet.
     */
    static void enqueueWholeTasks(Connection c, List<WholeTask> entries) throws SQLException {
        for (int i = 0; i < entries.size(); i += WHOLE_TASK_ROWS) {
            List<WholeTask> chunk = entries.subList(i, Math.min(entries.size(), i + WHOLE_TASK_ROWS));
            List<Object> params = new ArrayList<>(chunk.size() * 6);
            for (WholeTask w : chunk) {
                params.addAll(List.of(PendingDelete.wholeTaskKey(w.taskId()), w.taskId(), w.bytes(), w.objects(),
                        Sql.ms(w.at()), Sql.ms(w.at())));
            }
            Sql.update(c, "INSERT INTO pending_deletes (storage_key, task_id, size_bytes, objects, state, attempts, "
                    + "next_attempt_at, created_at) VALUES " + String.join(", ",
                    Collections.nCopies(chunk.size(), "(?, ?, ?, ?, 'OPEN', 0, ?, ?)")), params.toArray());
        }
    }

    /** {@link dev.reclaim.store.TaskStore#objectsOfWholeTaskEntries}. */
    static Map<String, Map<String, Long>> objectsOfWholeTasks(Connection c, Collection<String> taskIds) throws SQLException {
        Map<String, Map<String, Long>> objects = new LinkedHashMap<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(new LinkedHashSet<>(taskIds)))) {
            Sql.list(c, "SELECT a.task_id, a.storage_key, a.size_bytes FROM artifacts a WHERE a.state = 'DELETING' "
                    + "AND a.task_id IN (" + Sql.marks(chunk.size()) + ") AND NOT EXISTS (SELECT 1 FROM artifacts b "
                    + "WHERE b.storage_key = a.storage_key AND b.state = 'LIVE') ORDER BY a.task_id, a.id", rs -> objects
                    .computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>())
                    .merge(rs.getString(2), rs.getLong(3), Math::max), chunk);
        }
        return objects;
    }

    /** {@link dev.reclaim.store.TaskStore#splitWholeTaskEntry}, in the caller's transaction. */
    static void splitWholeTask(Connection c, PendingDelete entry, long goneObjects, long goneBytes, List<PendingDelete> failed,
                               Instant retryAt) throws SQLException {
        if (Sql.update(c, "UPDATE pending_deletes SET state = 'DONE', objects = ?, size_bytes = ?, claimed_until = NULL "
                + "WHERE id = ? AND state = 'OPEN'", goneObjects, goneBytes, entry.id()) == 0) {
            return;
        }
        for (PendingDelete f : failed) {
            Sql.update(c, "INSERT INTO pending_deletes (storage_key, task_id, size_bytes, objects, state, attempts, last_error, "
                    + "next_attempt_at, created_at) SELECT ?, ?, ?, 1, 'OPEN', 1, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "
                    + "pending_deletes WHERE storage_key = ? AND state = 'OPEN')", f.storageKey(), entry.taskId(),
                    f.sizeBytes(), Sql.text(f.lastError()), Sql.ms(retryAt), Sql.ms(retryAt), f.storageKey());
        }
    }

    /** {@link dev.reclaim.store.TaskStore#recordDeletedObjects}: absolute values, so a repeat changes nothing. */
    static void recordDeleted(Connection c, Collection<DeletedObjects> counts) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE pending_deletes SET objects = ?, size_bytes = ? "
                + "WHERE id = ? AND state = 'OPEN'")) {
            for (DeletedObjects d : counts) {
                Sql.bind(ps, List.of(d.objects(), d.bytes(), d.entryId()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static void complete(Connection c, Collection<Long> entryIds) throws SQLException {
        List<Long> ids = new ArrayList<>(entryIds);
        // An entry of no task (an orphan, an unmanaged object, a removed model) has no finish step
        // that would remove it once done, and nothing reads it: it goes now.
        setIds(c, "DELETE FROM pending_deletes WHERE task_id IS NULL AND state = 'OPEN' AND id IN ", List.of(), ids);
        setIds(c, "UPDATE pending_deletes SET state = 'DONE', claimed_until = NULL WHERE state = 'OPEN' AND id IN ",
                List.of(), ids);
    }

    static void fail(Connection c, long entryId, String error, Instant retryAt) throws SQLException {
        Sql.update(c, "UPDATE pending_deletes SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, "
                + "claimed_until = NULL WHERE id = ? AND state = 'OPEN'", Sql.text(error), Sql.ms(retryAt), entryId);
    }

    static List<PendingDelete> open(Connection c, int limit) throws SQLException {
        return Sql.list(c, "SELECT id, storage_key, task_id, size_bytes, attempts, last_error FROM pending_deletes "
                        + "WHERE state = 'OPEN' ORDER BY id LIMIT ?", PurgeSql::entry, Math.max(0, limit));
    }

    /** An entry as a claim reads it: with whether a purger claimed it before. */
    private static PendingDelete claimed(ResultSet rs) throws SQLException {
        return new PendingDelete(rs.getLong("id"), rs.getString("storage_key"), rs.getString("task_id"),
                rs.getLong("size_bytes"), rs.getInt("attempts"), rs.getString("last_error"), rs.getInt("claims") > 0);
    }

    private static PendingDelete entry(ResultSet rs) throws SQLException {
        return new PendingDelete(rs.getLong("id"), rs.getString("storage_key"), rs.getString("task_id"),
                rs.getLong("size_bytes"), rs.getInt("attempts"), rs.getString("last_error"));
    }

    /** Runs {@code sqlPrefix (ids...)} in chunks, with {@code leading} parameters before the ids. */
    private static void setIds(Connection c, String sqlPrefix, List<Object> leading, List<Long> ids) throws SQLException {
        for (List<Long> chunk : Sql.chunks(ids)) {
            List<Object> params = new ArrayList<>(leading);
            params.addAll(chunk);
            Sql.update(c, sqlPrefix + "(" + Sql.marks(chunk.size()) + ")", params.toArray());
        }
    }
}
