package dev.reclaim.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Artifact metrics (V18 {@code artifact_metrics}): name to number per artifact, merged by upsert.
 * The rows go with their artifact's record (a trigger on SQLite, a cascading key on PostgreSQL).
 */
final class MetricSql {
    private MetricSql() {
    }

    /** Merges {@code metrics} into each artifact's (by id), in one batch. */
    static void merge(Connection c, Map<String, Map<String, Double>> metrics) throws SQLException {
        if (metrics.values().stream().allMatch(Map::isEmpty)) {
            return;
        }
        // the same upsert on SQLite (3.24+) and PostgreSQL
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO artifact_metrics (artifact_id, name, value) "
                + "VALUES (?, ?, ?) ON CONFLICT (artifact_id, name) DO UPDATE SET value = excluded.value")) {
            for (Map.Entry<String, Map<String, Double>> e : metrics.entrySet()) {
                for (Map.Entry<String, Double> m : new TreeMap<>(e.getValue()).entrySet()) {
                    Sql.bind(ps, List.of(e.getKey(), m.getKey(), m.getValue()));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /** Merges metrics into a LIVE artifact's; false when there is no such artifact. */
    static boolean mergeIntoLive(Connection c, Dialect dialect, String artifactId, Map<String, Double> metrics)
            throws SQLException {
        if (!Sql.exists(c, "SELECT 1 FROM artifacts WHERE id = ? AND state = 'LIVE'" + dialect.forUpdate(), artifactId)) {
            return false;
        }
        merge(c, Map.of(artifactId, metrics));
        return true;
    }

    /** The metrics of these artifacts, by id, names in order; artifacts without any are left out. */
    static Map<String, Map<String, Double>> of(Connection c, Collection<String> artifactIds) throws SQLException {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (List<String> chunk : Sql.chunks(new LinkedHashSet<>(artifactIds))) {
            for (Object[] row : Sql.list(c, "SELECT artifact_id, name, value FROM artifact_metrics WHERE artifact_id IN ("
                    + Sql.marks(chunk.size()) + ") ORDER BY artifact_id, name",
                    rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getDouble(3)}, chunk)) {
                out.computeIfAbsent((String) row[0], k -> new TreeMap<>()).put((String) row[1], (Double) row[2]);
            }
        }
        return out;
    }
}
