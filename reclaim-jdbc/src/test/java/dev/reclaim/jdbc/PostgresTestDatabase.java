package dev.reclaim.jdbc;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh PostgreSQL database per test class, dropped after it. Register it as a static field:
 * {@code @RegisterExtension static final PostgresTestDatabase PG = new PostgresTestDatabase();}.
 *
 * <p>The server comes from env {@code RECLAIM_PG_URL}, a JDBC URL of its maintenance database
 * (default {@value #DEFAULT_URL}; without the variable, user {@code root} is tried when
 * {@code postgres} is refused). When no server answers, the class's tests are skipped, unless env
 * {@code RECLAIM_REQUIRE_PG=1}, which makes them fail instead (for machines that must run them).
 *
 * <p>Public and in reclaim-jdbc's test-jar so other modules' tests (the CLI's multi-process test)
 * get their database the same way.
 */
public final class PostgresTestDatabase implements BeforeAllCallback, AfterAllCallback {
    public static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    private String serverUrl;
    private String url;
    private final List<String> created = new ArrayList<>();

    @Override
    public void beforeAll(ExtensionContext context) throws SQLException {
        if (isNested(context)) {
            return; // a @Nested group shares its outer class's database: one per class, not per group
        }
        serverUrl = reachableServer();
        url = createDatabase(null);
    }

    @Override
    public void afterAll(ExtensionContext context) throws SQLException {
        if (serverUrl == null || isNested(context)) {
            return;
        }
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            for (String name : created) {
                s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
        }
        created.clear();
    }

    private static boolean isNested(ExtensionContext context) {
        if (context == null) {
            return false; // called by hand (jqwik's container hooks pass none): always the outermost class
        }
        Class<?> c = context.getRequiredTestClass();
        return c.isMemberClass() && !Modifier.isStatic(c.getModifiers());
    }

    /** JDBC URL of this class's database. */
    public String url() {
        return url;
    }

    /**
     * A store on this class's database with every table emptied: what a contract test expects of
     * a fresh store, without the cost of a database per test. The previous test's store must be
     * closed.
     */
    public JdbcTaskStore emptyStore() {
        JdbcTaskStore store = JdbcTaskStore.openPostgres(url, null, null, 4);
        try {
            truncateAll(url);
        } catch (SQLException | RuntimeException e) {
            store.close();
            throw new IllegalStateException("cannot empty the test database: " + e.getMessage(), e);
        }
        return store;
    }

    /**
     * Creates another database, dropped with this class's, optionally as a copy of
     * {@code template} (a database nobody is connected to). Returns its JDBC URL.
     */
    public String createDatabase(String template) throws SQLException {
        String name = "reclaim_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            if (template != null) {
                // a server session may outlive its closed client briefly; copying needs none left
                s.execute("SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity WHERE datname = '" + template
                        + "' AND pid <> pg_backend_pid()");
            }
            s.execute("CREATE DATABASE " + name + (template == null ? "" : " TEMPLATE " + template));
            // Tests need no durability against a crash of the server (the crash test kills clients),
            // and waiting for a disk flush at every commit makes the suites several times slower.
            s.execute("ALTER DATABASE " + name + " SET synchronous_commit = off");
        }
        created.add(name);
        return withDatabase(serverUrl, name);
    }

    /** Drops a database made by {@link #createDatabase} before the class ends. */
    public void dropDatabase(String jdbcUrl) throws SQLException {
        String name = databaseName(jdbcUrl);
        try (Connection c = DriverManager.getConnection(serverUrl); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        created.remove(name);
    }

    /** The database name of a JDBC URL made by {@link #createDatabase}. */
    public static String databaseName(String jdbcUrl) {
        String path = jdbcUrl.substring("jdbc:postgresql://".length());
        int q = path.indexOf('?');
        path = q < 0 ? path : path.substring(0, q);
        return path.substring(path.indexOf('/') + 1);
    }

    /**
     * DELETE rather than TRUNCATE: on a few rows it is several times faster (TRUNCATE replaces
     * every table's files), and nothing relies on identity values restarting.
     */
    private static void truncateAll(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (String table : APP_TABLES) {
                s.execute("DELETE FROM " + table);
            }
            c.commit();
        }
    }

    /** Every table of the schema but Flyway's history and the store's own id, children before parents. */
    private static final List<String> APP_TABLES = List.of("task_inputs", "task_tags", "console_chunks", "pending_deletes",
            "artifacts", "tasks", "workers", "leases", "audit", "cleanup_runs", "api_tokens", "artifact_roots", "holds",
            "external_jobs");

    private static String reachableServer() {
        String configured = System.getenv("RECLAIM_PG_URL");
        List<String> candidates = configured != null && !configured.isBlank() ? List.of(configured)
                : List.of(DEFAULT_URL, DEFAULT_URL.replace("user=postgres", "user=root"));
        SQLException last = null;
        for (String candidate : candidates) {
            try (Connection c = DriverManager.getConnection(candidate)) {
                return candidate;
            } catch (SQLException e) {
                last = e;
            }
        }
        String message = "no PostgreSQL server answers at " + PostgresConnections.redact(candidates.get(0))
                + " (" + last.getMessage() + "); set RECLAIM_PG_URL to a JDBC URL of a server's maintenance database";
        if ("1".equals(System.getenv("RECLAIM_REQUIRE_PG"))) {
            throw new AssertionError(message + " (RECLAIM_REQUIRE_PG=1: PostgreSQL tests must run)", last);
        }
        Assumptions.abort(message + "; skipping (set RECLAIM_REQUIRE_PG=1 to fail instead)");
        return null;
    }

    private static String withDatabase(String serverUrl, String database) {
        String prefix = "jdbc:postgresql://";
        String rest = serverUrl.substring(prefix.length());
        int q = rest.indexOf('?');
        String query = q < 0 ? "" : rest.substring(q);
        String hostAndDb = q < 0 ? rest : rest.substring(0, q);
        int slash = hostAndDb.indexOf('/');
        String host = slash < 0 ? hostAndDb : hostAndDb.substring(0, slash);
        return prefix + host + "/" + database + query;
    }
}
