package dev.reclaim.bench;

import dev.reclaim.Reclaim;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.worker.WorkerSettings;

import java.nio.file.Path;

/** Opens the embedded default (SQLite + local folder) in a scratch home, as the CLI does. */
final class Embedded {
    private Embedded() {
    }

    /** @param syncWrites whether each stored object is fsynced (the default of the embedded store) */
    static Reclaim open(Path home, WorkerSettings workers, boolean syncWrites) {
        return open(home, workers, syncWrites, FileArtifactStore.DEFAULT_DELETE_THREADS);
    }

    /** @param deleteThreads threads the artifact store unlinks with */
    static Reclaim open(Path home, WorkerSettings workers, boolean syncWrites, int deleteThreads) {
        return Reclaim.builder()
                .taskStore(JdbcTaskStore.openSqlite(home.resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.builder(home.resolve("artifacts")).syncWrites(syncWrites)
                        .deleteThreads(deleteThreads).open())
                .stagingRoot(home.resolve("staging"))
                .workerSettings(workers)
                .build();
    }
}
