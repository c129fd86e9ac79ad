package dev.reclaim.jdbc;

import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.CleanupServiceContract;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The CleanupService contract on SQLite and the local filesystem, the embedded default. */
class SqliteCleanupServiceContractTest extends CleanupServiceContract {
    @Override
    protected TaskStore newTaskStore(Path tmp) {
        return JdbcTaskStore.openSqlite(tmp.resolve("reclaim.db"));
    }

    @Override
    protected ArtifactStore newArtifactStore(Path tmp) {
        return FileArtifactStore.open(tmp.resolve("artifacts"));
    }

    @Test
    void aRunReplacesTheSeededStatisticsOfANewStoreWithTheCatalogsOwn() throws Exception {
        archivedTask("old", null, TaskStatus.CREATED, 31, 10);
        archivedTask("kept", null, TaskStatus.CREATED, 1, 10);

        run(CleanupSettings.defaults());

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("reclaim.db"));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT stat FROM sqlite_stat1 WHERE idx = 'sqlite_autoindex_tasks_1'), "
                     + "(SELECT COUNT(*) FROM tasks)")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).as("the tasks left, where the seeded figures say 100,000")
                    .startsWith(rs.getLong(2) + " ");
        }
    }
}
