package dev.reclaim.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.reclaim.Json;
import dev.reclaim.StoreException;
import dev.reclaim.store.LeaseFence;
import dev.reclaim.store.LeaseInfo;
import dev.reclaim.store.LeaseLostException;
import dev.reclaim.store.ProcessIdentity;
import dev.reclaim.store.WorkerInfo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Worker registrations and named leases. */
final class WorkerSql {
    private static final TypeReference<Set<String>> QUEUES = new TypeReference<>() {
    };

    private final Dialect dialect;

    WorkerSql(Dialect dialect) {
        this.dialect = dialect;
    }

    void heartbeat(Connection c, WorkerInfo w) throws SQLException {
        Sql.update(c, dialect.upsertWorker(), w.id(), Sql.text(w.host()), w.pid(), Json.write(new TreeSet<>(w.queues())),
                w.slots(), Sql.ms(w.startedAt()), Sql.ms(w.heartbeatAt()));
    }

    static void remove(Connection c, String workerId) throws SQLException {
        Sql.update(c, "DELETE FROM workers WHERE id = ?", workerId);
    }

    static List<WorkerInfo> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT id, host, pid, queues, slots, started_at, heartbeat_at FROM workers ORDER BY id",
                WorkerSql::worker);
    }

    boolean tryAcquire(Connection c, String name, String holder, ProcessIdentity process, Instant now, Instant until)
            throws SQLException {
        return Sql.update(c, dialect.upsertLease(), name, holder, Sql.ms(until),
                Sql.text(process == null ? null : process.encode()), Sql.ms(now)) == 1;
    }

    static boolean takeOver(Connection c, String name, String expectedHolder, String holder, ProcessIdentity process,
                            Instant until) throws SQLException {
        return Sql.update(c, "UPDATE leases SET holder = ?, holder_process = ?, expires_at = ? WHERE name = ? AND holder = ?",
                holder, Sql.text(process == null ? null : process.encode()), Sql.ms(until), name, expectedHolder) == 1;
    }

    static boolean renew(Connection c, String name, String holder, Instant now, Instant until) throws SQLException {
        return Sql.update(c, "UPDATE leases SET expires_at = ? WHERE name = ? AND holder = ? AND expires_at > ?",
                Sql.ms(until), name, holder, Sql.ms(now)) == 1;
    }

    /**
     * Throws unless the fence's holder holds the lease and it has not run out at the fence's time.
     * The lease row stays locked until the caller's transaction ends, so a process taking the lease
     * over waits for the fenced write, and a fenced write after the takeover sees the new holder.
     */
    void checkFence(Connection c, LeaseFence fence) throws SQLException {
        Optional<LeaseInfo> current = Sql.one(c, "SELECT name, holder, expires_at, holder_process FROM leases WHERE name = ?"
                        + dialect.forUpdate(),
                rs -> new LeaseInfo(rs.getString("name"), rs.getString("holder"), Sql.instant(rs, "expires_at"),
                        rs.getString("holder_process")), fence.name());
        if (current.isEmpty() || !current.get().holder().equals(fence.holder())
                || !current.get().expiresAt().isAfter(fence.now())) {
            throw new LeaseLostException(fence, current.orElse(null));
        }
    }

    static void release(Connection c, String name, String holder) throws SQLException {
        Sql.update(c, "DELETE FROM leases WHERE name = ? AND holder = ?", name, holder);
    }

    static Optional<LeaseInfo> lease(Connection c, String name) throws SQLException {
        return Sql.one(c, "SELECT name, holder, expires_at, holder_process FROM leases WHERE name = ?",
                rs -> new LeaseInfo(rs.getString("name"), rs.getString("holder"), Sql.instant(rs, "expires_at"),
                        rs.getString("holder_process")), name);
    }

    private static WorkerInfo worker(ResultSet rs) throws SQLException {
        Set<String> queues;
        try {
            queues = Json.mapper().readValue(rs.getString("queues"), QUEUES);
        } catch (JsonProcessingException e) {
            throw new StoreException("stored queues of worker " + rs.getString("id") + " are not a JSON array", e);
        }
        return new WorkerInfo(rs.getString("id"), rs.getString("host"), rs.getLong("pid"), queues, rs.getInt("slots"),
                Sql.instant(rs, "started_at"), Sql.instant(rs, "heartbeat_at"));
    }
}
