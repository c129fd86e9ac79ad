package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.s3.S3ArtifactStore;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.fs.FileArtifactStore;

import java.net.URI;
import java.nio.file.Path;

/**
 * The process {@link AbandonedAddCrashContract} kills in the middle of an add: attaches one file to
 * a task again and again under new names ({@code big-0}, {@code big-1}, ...), saying before each
 * add and after it, until it is killed or has added {@code count} times.
 */
public final class AddChild {
    private AddChild() {
    }

    /**
     * Arguments: the home folder, the task id, the file, how many adds, then optionally
     * {@code --db JDBC_URL} and {@code --s3 ENDPOINT BUCKET PREFIX} as for {@link CrashChild}.
     */
    public static void main(String[] args) {
        Path home = Path.of(args[0]);
        String taskId = args[1];
        Path file = Path.of(args[2]);
        int count = Integer.parseInt(args[3]);
        String db = null;
        ArtifactStore artifacts = null;
        for (int i = 4; i < args.length; i++) {
            switch (args[i]) {
                case "--db" -> db = args[++i];
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
            artifacts = FileArtifactStore.open(home.resolve("artifacts"));
        }
        try (Reclaim r = Reclaim.builder().taskStore(store).artifactStore(artifacts).stagingRoot(home.resolve("staging")).build()) {
            for (int i = 0; i < count; i++) {
                System.out.println("adding big-" + i);
                System.out.println("added " + r.tasks().addArtifact(taskId, ArtifactKind.MODEL, "big-" + i, file).id());
            }
            System.out.println("finished");
        }
    }
}
