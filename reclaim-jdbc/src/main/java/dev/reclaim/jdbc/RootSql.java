package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import dev.reclaim.store.RootBinding;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The store's own id and its artifact-root bindings (migration V12). */
final class RootSql {
    private static final String COLUMNS = "name, root_id, location, bound_at";

    private RootSql() {
    }

    static String storeId(Connection c) throws SQLException {
        return Sql.one(c, "SELECT store_id FROM store_identity WHERE singleton = 1", rs -> rs.getString(1))
                .orElseThrow(() -> new StoreException("the task store has no id (its store_identity row is missing); "
                        + "restore the database from a backup"));
    }

    static Optional<RootBinding> find(Connection c, String name) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM artifact_roots WHERE name = ?", RootSql::binding, name);
    }

    static List<RootBinding> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM artifact_roots ORDER BY name", RootSql::binding);
    }

    private static RootBinding binding(ResultSet rs) throws SQLException {
        return new RootBinding(rs.getString("name"), rs.getString("root_id"), rs.getString("location"), Sql.instant(rs, "bound_at"));
    }

    /** Inserts unless the name is bound; then reads what is there (this insert, or the first one). */
    static RootBinding bind(Connection c, RootBinding b) throws SQLException {
        Sql.update(c, "INSERT INTO artifact_roots (" + COLUMNS + ") VALUES (?, ?, ?, ?) ON CONFLICT (name) DO NOTHING",
                b.name(), b.rootId(), b.location(), Sql.ms(b.boundAt()));
        return find(c, b.name()).orElseThrow();
    }

    static void rebind(Connection c, RootBinding b) throws SQLException {
        Sql.update(c, "INSERT INTO artifact_roots (" + COLUMNS + ") VALUES (?, ?, ?, ?) ON CONFLICT (name) DO UPDATE SET "
                        + "root_id = excluded.root_id, location = excluded.location, bound_at = excluded.bound_at",
                b.name(), b.rootId(), b.location(), Sql.ms(b.boundAt()));
    }
}
