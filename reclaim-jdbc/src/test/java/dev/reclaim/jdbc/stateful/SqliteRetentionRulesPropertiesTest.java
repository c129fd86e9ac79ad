package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.store.TaskStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The retention rules property on the embedded default: a SQLite file and a folder. */
class SqliteRetentionRulesPropertiesTest extends RetentionRulesProperties {
    @Override
    TaskStore newStore(Path dir) {
        return JdbcTaskStore.openSqlite(dir.resolve("reclaim.db"));
    }

    @Property(tries = 150)
    void noRuleSetDeletesAHeldPublishedOrInUseArtifactAndItsDryRunIsItsRun(
            @ForAll("catalogs") List<TaskPlan> catalog, @ForAll("ruleSets") String rules) throws IOException {
        holdsFor(catalog, rules);
    }
}
