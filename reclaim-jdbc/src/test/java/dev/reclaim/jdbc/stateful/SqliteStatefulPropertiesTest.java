package dev.reclaim.jdbc.stateful;

import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.store.TaskStore;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The stateful property on the embedded default: a SQLite file and a folder. As many sequences as
 * {@code jqwik.tries.default} says (500 unless set: {@code -Djqwik.tries.default=5000} runs more).
 */
class SqliteStatefulPropertiesTest extends StatefulProperties {
    @Override
    Backend backend() {
        return new Backend() {
            @Override
            public TaskStore create(Path dir) {
                return JdbcTaskStore.openSqlite(dir.resolve("reclaim.db"));
            }

            @Override
            public TaskStore reopen(Path dir) {
                return JdbcTaskStore.openSqlite(dir.resolve("reclaim.db"));
            }
        };
    }

    @Property
    void nothingIsLostNothingIsLeftAndADryRunIsTheRunWhateverTheSequenceAndWhereverItCrashes(
            @ForAll("sequences") List<Step> steps) throws IOException {
        holdsFor(steps).collect();
    }
}
