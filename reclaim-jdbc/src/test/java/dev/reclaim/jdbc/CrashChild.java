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

    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        try (Reclaim r = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
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
