package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.jdbc.PostgresTestDatabase;
import dev.reclaim.store.TaskStore;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * A sequence's task store on a test class's PostgreSQL database: emptied for each new sequence,
 * reopened on the same database after a crash; its artifacts where {@code place} says.
 */
final class PostgresBackend implements Backend {
    private final PostgresTestDatabase pg;
    private final Function<Path, Place> place;

    PostgresBackend(PostgresTestDatabase pg, Function<Path, Place> place) {
        this.pg = pg;
        this.place = place;
    }

    @Override
    public TaskStore create(Path dir) {
        return pg.emptyStore();
    }

    @Override
    public TaskStore reopen(Path dir) {
        return JdbcTaskStore.openPostgres(pg.url(), null, null, 4);
    }

    @Override
    public Place place(Path dir) {
        return place.apply(dir);
    }
}
