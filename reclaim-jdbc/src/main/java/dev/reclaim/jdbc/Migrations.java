package dev.reclaim.jdbc;

import dev.reclaim.StoreException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.MigrationVersion;

import javax.sql.DataSource;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;

/** Brings a database's schema up to date with the dialect's Flyway migrations. */
final class Migrations {
    private Migrations() {
    }

    /**
     * Applies pending migrations.
     *
     * @throws StoreException if a migration fails or the database was migrated by a newer Reclaim
     */
    static void migrate(DataSource dataSource, Dialect dialect) {
        // Flyway ignores applied migrations it does not know ("future") by default and carries on;
        // here nothing is ignored, so validation fails, and the failure is explained below.
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(dialect.migrationLocation())
                .ignoreMigrationPatterns(new String[0])
                .loggers("slf4j")
                .load();
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            Optional<StoreException> newer = newerSchema(flyway);
            if (newer.isPresent()) {
                throw newer.get();
            }
            throw new StoreException("cannot migrate the " + dialect.name() + " database schema: " + e.getMessage(), e);
        }
    }

    /**
     * The refusal of a database whose schema history holds versions this build does not have:
     * it cannot know what the newer schema means, and writing to it could break the newer program.
     */
    private static Optional<StoreException> newerSchema(Flyway flyway) {
        MigrationInfo[] all;
        try {
            all = flyway.info().all();
        } catch (FlywayException e) {
            return Optional.empty();
        }
        Optional<MigrationVersion> newest = Arrays.stream(all).filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS
                        || m.getState() == MigrationState.FUTURE_FAILED).map(MigrationInfo::getVersion)
                .max(Comparator.naturalOrder());
        Optional<MigrationVersion> known = Arrays.stream(all).filter(m -> m.getState().isResolved())
                .map(MigrationInfo::getVersion).filter(v -> v != null).max(Comparator.naturalOrder());
        return newest.map(v -> new StoreException("this database was migrated by a newer Reclaim (schema V" + v
                + "); this build knows up to V" + known.map(MigrationVersion::toString).orElse("0")
                + "; upgrade Reclaim (an older Reclaim cannot use a newer schema safely)"));
    }
}
