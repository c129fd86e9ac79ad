package dev.reclaim.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;

/**
 * Transaction-scoped locks on storage keys, where the dialect needs them
 * ({@link Dialect#lockStorageKey()}): held from the statement that takes them until commit or
 * rollback. Everything that queues a key for deletion or makes a new artifact reference a key
 * takes the key's lock before it checks the other side.
 */
final class KeyLocks {
    private KeyLocks() {
    }

    /**
     * Locks every key, in ascending order of lock value so that two transactions locking
     * overlapping sets take them in the same order and cannot deadlock on each other. Two keys
     * with the same hash share a lock: that costs only a little waiting, never correctness.
     */
    static void lock(Connection c, Dialect dialect, Collection<String> keys) throws SQLException {
        String sql = dialect.lockStorageKeys();
        if (sql == null || keys.isEmpty()) {
            return;
        }
        Integer[] hashes = keys.stream().map(String::hashCode).distinct().toArray(Integer[]::new);
        // one round trip for a page's keys, not one per key; the statement takes them in ascending order
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("int4", hashes));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // each row is one lock taken; reading them all runs the statement to its end
                }
            }
        }
    }
}
