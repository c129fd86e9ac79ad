package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The killed-add test on PostgreSQL (a database per case) and the local filesystem. */
class PostgresAbandonedAddCrashTest extends AbandonedAddCrashContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    /** The database of each home. */
    private final Map<Path, String> databases = new HashMap<>();

    @Override
    protected void prepareHome(Path home) throws Exception {
        databases.put(home, PG.createDatabase(null));
    }

    @Override
    protected void discardHome(Path home) throws Exception {
        PG.dropDatabase(databases.remove(home));
    }

    @Override
    protected TaskStore openTaskStore(Path home) {
        return JdbcTaskStore.openPostgres(databases.get(home));
    }

    @Override
    protected List<String> childStoreArgs(Path home) {
        return List.of("--db", databases.get(home));
    }
}
