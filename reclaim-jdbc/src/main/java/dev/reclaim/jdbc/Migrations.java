package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import javax.sql.DataSource;

/** Brings a database's schema up to date with the dialect's Flyway migrations. */
final class Migrations {
    private Migrations() {
    }

    /**
     * Applies pending migrations.
     *
     * @throws StoreException if a migration fails or the database is newer than this program
     */
    static void migrate(DataSource dataSource, Dialect dialect) {
        try {
            Flyway.configure(Migrations.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations(dialect.migrationLocation())
                    .loggers("slf4j")
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the " + dialect.name() + " database schema: " + e.getMessage(), e);
        }
    }
}
