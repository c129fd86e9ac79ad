package dev.reclaim.jdbc;

import dev.reclaim.model.Artifact;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Queries and repairs for {@code fsck}: which keys are known, live artifacts by keyset, orphan and dangling repairs. */
final class FsckSql {
    private final Dialect dialect;

    FsckSql(Dialect dialect) {
        this.dialect = dialect;
    }

    /** The keys among {@code keys} that an artifact record (any state) or an open queue entry names. */
    static Set<String> known(Connection c, Collection<String> keys) throws SQLException {
        Set<String> known = new HashSet<>();
        for (List<String> chunk : Sql.chunks(keys)) {
            String in = Sql.marks(chunk.size());
            known.addAll(Sql.list(c, "SELECT storage_key FROM artifacts WHERE storage_key IN (" + in + ")",
                    rs -> rs.getString("storage_key"), chunk));
            known.addAll(Sql.list(c, "SELECT storage_key FROM pending_deletes WHERE state = 'OPEN' AND storage_key IN ("
                    + in + ")", rs -> rs.getString("storage_key"), chunk));
        }
        return known;
    }

    /** The ids among {@code taskIds} of a task record or of an audited deletion (index {@code ix_audit_task_at}, V20). */
    static Set<String> knownTaskIds(Connection c, Collection<String> taskIds) throws SQLException {
        Set<String> known = new HashSet<>();
        for (List<String> chunk : Sql.chunks(new ArrayList<>(new HashSet<>(taskIds)))) {
            String in = Sql.marks(chunk.size());
            known.addAll(Sql.list(c, "SELECT id FROM tasks WHERE id IN (" + in + ")", rs -> rs.getString(1), chunk));
            known.addAll(Sql.list(c, "SELECT DISTINCT task_id FROM audit WHERE task_id IN (" + in + ")", rs -> rs.getString(1),
                    chunk));
        }
        return known;
    }

    static List<Artifact> liveAfter(Connection c, String afterId, int limit) throws SQLException {
        return Sql.list(c, "SELECT " + TaskRows.ARTIFACT_COLUMNS + " FROM artifacts a WHERE a.state = 'LIVE' AND a.id > ?"
                + " ORDER BY a.id LIMIT ?", TaskRows::artifact, afterId == null ? "" : afterId, limit);
    }

    /** Queues orphan objects for deletion (no task); a key referenced by a LIVE artifact is never queued. */
    int enqueueOrphans(Connection c, Collection<String> keys, Instant at) throws SQLException {
        KeyLocks.lock(c, dialect, keys);
        Map<String, Long> orphans = new LinkedHashMap<>();
        for (String k : keys) {
            if (!Sql.exists(c, "SELECT 1 FROM artifacts WHERE storage_key = ?", k)) {
                orphans.put(k, 0L);
            }
        }
        return PurgeSql.enqueue(c, dialect, null, orphans, at).size();
    }

    /** Removes a LIVE artifact record whose object is missing, with the input references to it. */
    static boolean dropDangling(Connection c, String artifactId) throws SQLException {
        List<Object> id = new ArrayList<>(List.of(artifactId));
        Sql.update(c, "DELETE FROM task_inputs WHERE artifact_id = ?", id.get(0));
        return Sql.update(c, "DELETE FROM artifacts WHERE id = ? AND state = 'LIVE'", artifactId) == 1;
    }
}
