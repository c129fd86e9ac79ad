package dev.reclaim.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * Small JDBC helpers shared by the SQL classes. Instants are stored as BIGINT epoch milliseconds,
 * so every instant read back is truncated to the millisecond.
 */
final class Sql {
    /** Most values bound in one {@code IN (...)} list; longer collections are split. */
    static final int CHUNK = 500;

    private Sql() {
    }

    /** Work done on one connection inside a transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** A SQL NULL of a given JDBC type (some databases need the type of a null parameter). */
    record Null(int sqlType) {
    }

    static final Null NULL_BIGINT = new Null(Types.BIGINT);
    static final Null NULL_INTEGER = new Null(Types.INTEGER);
    static final Null NULL_BOOLEAN = new Null(Types.BOOLEAN);
    static final Null NULL_TEXT = new Null(Types.VARCHAR);

    /** {@code n} comma-separated parameter markers. */
    static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    /** An instant as a bindable value: epoch milliseconds, or a typed null. */
    static Object ms(Instant t) {
        return t == null ? NULL_BIGINT : (Object) t.toEpochMilli();
    }

    static Object text(String s) {
        return s == null ? NULL_TEXT : s;
    }

    static Object bool(Boolean b) {
        return b == null ? NULL_BOOLEAN : b;
    }

    static Object integer(Integer i) {
        return i == null ? NULL_INTEGER : i;
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        return instant(rs, rs.findColumn(column));
    }

    /** A nullable millisecond column as an instant, by column position (1-based). */
    static Instant instant(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    static Boolean nullableBool(ResultSet rs, String column) throws SQLException {
        return nullableBool(rs, rs.findColumn(column));
    }

    static Boolean nullableBool(ResultSet rs, int column) throws SQLException {
        boolean v = rs.getBoolean(column);
        return rs.wasNull() ? null : v;
    }

    static Integer nullableInt(ResultSet rs, String column) throws SQLException {
        return nullableInt(rs, rs.findColumn(column));
    }

    static Integer nullableInt(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    static void bind(PreparedStatement ps, List<?> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            set(ps, i + 1, values.get(i));
        }
    }

    static void set(PreparedStatement ps, int index, Object v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.VARCHAR);
        } else if (v instanceof Null n) {
            ps.setNull(index, n.sqlType());
        } else if (v instanceof String s) {
            ps.setString(index, s);
        } else if (v instanceof Long l) {
            ps.setLong(index, l);
        } else if (v instanceof Integer i) {
            ps.setInt(index, i);
        } else if (v instanceof Double d) {
            ps.setDouble(index, d);
        } else if (v instanceof Boolean b) {
            ps.setBoolean(index, b);
        } else if (v instanceof Instant t) {
            ps.setLong(index, t.toEpochMilli());
        } else if (v instanceof Enum<?> e) {
            ps.setString(index, e.name());
        } else {
            throw new IllegalArgumentException("cannot bind a " + v.getClass().getName());
        }
    }

    /** Statements kept per connection: most recently used first out of the cache when it is full. */
    private static final int CACHED_STATEMENTS = 256;
    private static final Map<Connection, Map<String, PreparedStatement>> STATEMENTS =
            Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * A prepared statement for {@code sql} on {@code c}, reused across calls: preparing dominated the
     * cost of the deletion protocol's many small statements. Callers must not close it; it closes
     * with its connection or when it falls out of the cache. A connection is used by one thread at
     * a time (the writer under its lock, readers from the pool), so its cache needs no lock.
     */
    static PreparedStatement prepare(Connection c, String sql) throws SQLException {
        Map<String, PreparedStatement> cache = STATEMENTS.computeIfAbsent(c, k -> new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= CACHED_STATEMENTS) {
                    return false;
                }
                try {
                    eldest.getValue().close();
                } catch (SQLException ignored) {
                    // closing a statement we no longer use; nothing to recover
                }
                return true;
            }
        });
        PreparedStatement ps = cache.get(sql);
        if (ps == null || ps.isClosed()) {
            ps = c.prepareStatement(sql);
            cache.put(sql, ps);
        } else {
            ps.clearParameters();
        }
        return ps;
    }

    /**
     * Drops (and closes) the statements cached for {@code c}. Pooled connections call it before
     * going back to the pool: a pool hands out a new wrapper object per borrow, whose cache entry
     * would otherwise stay reachable through its own statements.
     */
    static void forget(Connection c) {
        Map<String, PreparedStatement> cache = STATEMENTS.remove(c);
        if (cache == null) {
            return;
        }
        for (PreparedStatement ps : cache.values()) {
            try {
                ps.close();
            } catch (SQLException ignored) {
                // the connection goes back to the pool, which closes what is left
            }
        }
    }

    static int update(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = prepare(c, sql);
        bind(ps, Arrays.asList(params));
        return ps.executeUpdate();
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        return list(c, sql, row, Arrays.asList(params));
    }

    static <T> List<T> list(Connection c, String sql, Row<T> row, List<?> params) throws SQLException {
        PreparedStatement ps = prepare(c, sql);
        bind(ps, params);
        try (ResultSet rs = ps.executeQuery()) {
            List<T> out = new ArrayList<>();
            while (rs.next()) {
                out.add(row.map(rs));
            }
            return out;
        }
    }

    static <T> Optional<T> one(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        List<T> rows = list(c, sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    static long count(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> rs.getLong(1), params).orElse(0L);
    }

    static boolean exists(Connection c, String sql, Object... params) throws SQLException {
        return one(c, sql, rs -> Boolean.TRUE, params).isPresent();
    }

    /** Splits a collection into lists of at most {@link #CHUNK} elements. */
    static <T> List<List<T>> chunks(Collection<T> values) {
        List<T> all = new ArrayList<>(values);
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + CHUNK)));
        }
        return out;
    }
}
