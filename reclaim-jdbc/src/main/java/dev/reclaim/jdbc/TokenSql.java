package dev.reclaim.jdbc;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.store.ApiToken;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** API tokens of the HTTP server (hashes only). Portable SQL: no dialect differences. */
final class TokenSql {
    private static final String COLUMNS = "id, name, role, secret_hash, created_at, last_used_at, revoked";

    private TokenSql() {
    }

    static void insert(Connection c, ApiToken t) throws SQLException {
        // Checked inside the write transaction (writers are serialized; the partial unique index
        // backs this up where they are not), so the caller gets a message rather than a SQL error.
        if (Sql.exists(c, "SELECT 1 FROM api_tokens WHERE name = ? AND revoked = ?", t.name(), false)) {
            throw new InvalidArgumentException("a token named '" + t.name()
                    + "' already exists; choose another name or revoke the old token first");
        }
        Sql.update(c, "INSERT INTO api_tokens (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)", t.id(), t.name(), t.role(),
                t.secretHash(), Sql.ms(t.createdAt()), Sql.ms(t.lastUsedAt()), t.revoked());
    }

    static Optional<ApiToken> find(Connection c, String id) throws SQLException {
        return Sql.one(c, "SELECT " + COLUMNS + " FROM api_tokens WHERE id = ?", TokenSql::row, id);
    }

    static List<ApiToken> all(Connection c) throws SQLException {
        return Sql.list(c, "SELECT " + COLUMNS + " FROM api_tokens ORDER BY created_at, id", TokenSql::row);
    }

    static boolean anyActive(Connection c) throws SQLException {
        return Sql.exists(c, "SELECT 1 FROM api_tokens WHERE revoked = ? LIMIT 1", false);
    }

    static boolean touch(Connection c, String id, Instant at) throws SQLException {
        return Sql.update(c, "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", Sql.ms(at), id) == 1;
    }

    static boolean revoke(Connection c, String id) throws SQLException {
        return Sql.update(c, "UPDATE api_tokens SET revoked = ? WHERE id = ?", true, id) == 1;
    }

    private static ApiToken row(ResultSet rs) throws SQLException {
        return new ApiToken(rs.getString("id"), rs.getString("name"), rs.getString("role"), rs.getString("secret_hash"),
                Sql.instant(rs, "created_at"), Sql.instant(rs, "last_used_at"), rs.getBoolean("revoked"));
    }
}
