package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link DeletionCrashContract} kills: runs the Cleanup Service over a prepared home and
 * prints one line per task it dealt with, so the parent can kill it at a chosen point.
 */
public final class CrashChild {
    private CrashChild() {
    }

    /**
     * Arguments: the home folder, then optionally {@code --db JDBC_URL} (a PostgreSQL database as the
     * task store instead of the home's SQLite file) and {@code --s3 ENDPOINT BUCKET PREFIX} (an S3
     * artifact store, path-style, instead of the home's {@code artifacts} folder; credentials from the
     * AWS default chain, i.e. the environment the parent gives), and {@code --hang-after-delete}: every
     * storage batch is deleted, then the purging thread prints {@code purged} and hangs, so the parent
     * kills the child while it holds claims on queue entries whose objects are gone.
     */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String db = null;
        ArtifactStore artifacts = null;
        boolean hangAfterDelete = false;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
                case "--hang-after-delete" -> hangAfterDelete = true;
                case "--s3" -> {
                    artifacts = S3ArtifactStore.builder().endpointOverride(URI.create(args[i + 1])).pathStyleAccess(true)
                            .bucket(args[i + 2]).prefix(args[i + 3]).build();
                    i += 3;
                }
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        JdbcTaskStore store = db != null ? JdbcTaskStore.openPostgres(db) : JdbcTaskStore.openSqlite(home.resolve("reclaim.db"));
        if (artifacts == null) {
            artifacts = FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(false).open();
        }
        if (hangAfterDelete) {
            FaultyArtifactStore hanging = new FaultyArtifactStore(artifacts);
            hanging.afterDelete = CrashChild::printAndHang;
            artifacts = hanging;
        }
        try (Reclaim r = Reclaim.builder().taskStore(store).artifactStore(artifacts)
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

    private static void printAndHang() {
        System.out.println("purged");
        System.out.flush();
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // a timed-out storage call is interrupted; keep holding the claims until the parent kills us
            }
        }
    }
}
