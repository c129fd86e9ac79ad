package dev.reclaim.jdbc;

import dev.reclaim.store.RootMarker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** What a person (or an installation from before root markers) does by hand to a root or a database, for tests. */
final class FsRoots {
    private FsRoots() {
    }

    static void removeMarker(Path root) {
        try {
            Files.delete(root.resolve(RootMarker.NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeMarker(Path root, String text) {
        try {
            Files.writeString(root.resolve(RootMarker.NAME), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes every artifact-root binding of the database at {@code jdbcUrl}. */
    static void forgetBindings(String jdbcUrl) {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute("DELETE FROM artifact_roots");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
