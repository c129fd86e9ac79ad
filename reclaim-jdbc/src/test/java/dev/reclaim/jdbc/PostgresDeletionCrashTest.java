package dev.reclaim.jdbc;

import dev.reclaim.store.TaskStore;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The deletion crash test on PostgreSQL: the template's tasks are prepared in this class's
 * database, and each seed runs on a copy of it ({@code CREATE DATABASE ... TEMPLATE}), dropped
 * when the seed is done.
 */
class PostgresDeletionCrashTest extends DeletionCrashContract {
    @RegisterExtension
    static final PostgresTestDatabase PG = new PostgresTestDatabase();

    /**
     * Seeds run unless {@value DeletionCrashContract#SEEDS_PROPERTY} says otherwise. Preparing the
     * template takes about 25 s and a seed 8-23 s on a shared 2-core machine (20 seeds passed in
     * 7.7 minutes under load; 7 seeds took 85 s otherwise), so 20 seeds would pass three minutes;
     * 12 keep the class near two. Run {@code -Dreclaim.crash.seeds=20} (or more) for the full set.
     */
    static final int DEFAULT_SEEDS = 12;

    /** The database of each home; the template home uses the class's database. */
    private final Map<Path, String> databases = new HashMap<>();

    @Override
    protected int seedCount() {
        return Integer.getInteger(SEEDS_PROPERTY, DEFAULT_SEEDS);
    }

    @Override
    protected TaskStore openTaskStore(Path home) {
        return JdbcTaskStore.openPostgres(databases.computeIfAbsent(home, h -> PG.url()));
    }

    @Override
    protected void copyTaskStore(Path template, Path home) throws Exception {
        databases.put(home, PG.createDatabase(PostgresTestDatabase.databaseName(PG.url())));
    }

    @Override
    protected void discardTaskStore(Path home) throws Exception {
        PG.dropDatabase(databases.remove(home));
    }

    @Override
    protected List<String> childStoreArgs(Path home) {
        return List.of("--db", databases.get(home));
    }
}
