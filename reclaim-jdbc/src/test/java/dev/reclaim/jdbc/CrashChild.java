package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.store.fs.FileArtifactStore;

import java.nio.file.Path;

/**
 * The process {@link DeletionCrashTest} kills: runs the Cleanup Service over a prepared home and
 * prints one line per task it dealt with, so the parent can kill it at a chosen point.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /**
     * Arguments: the home folder, then optionally the JDBC URL of a PostgreSQL database to use as
     * the task store instead of the home's SQLite file.
     */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        JdbcTaskStore store = args.length > 1 ? JdbcTaskStore.openPostgres(args[1])
                : JdbcTaskStore.openSqlite(home.resolve("reclaim.db"));
        try (Reclaim r = Reclaim.builder().taskStore(store)
                .artifactStore(FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(false).open())
                .stagingRoot(home.resolve("staging")).build()) {
            System.out.println("started");
            r.cleanup().runOnce(CleanupSettings.builder().deleteThresholdDays(0).forceDelete(true).pageSize(25).build(),
                    null, new CleanupListener() {
                        @Override
                        public void taskDone(CleanupRun.Item item) {
                            System.out.println("done " + item.taskId());
                        }
                    });
            System.out.println("finished");
        }
    }
}
