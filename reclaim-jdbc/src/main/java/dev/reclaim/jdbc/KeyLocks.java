package dev.reclaim.jdbc;

import java.sql.Connection;
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
        String sql = dialect.lockStorageKey();
        if (sql == null || keys.isEmpty()) {
            return;
        }
        int[] hashes = keys.stream().mapToInt(String::hashCode).distinct().sorted().toArray();
        for (int h : hashes) {
            Sql.list(c, sql, rs -> Boolean.TRUE, h);
        }
    }
}
