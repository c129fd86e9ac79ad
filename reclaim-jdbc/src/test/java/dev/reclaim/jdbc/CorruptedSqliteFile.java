package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.model.Task;
import dev.reclaim.store.fs.FileArtifactStore;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A real SQLite database with some pages overwritten: what a disk or a copy gone wrong leaves.
 * The pages are among the last ones written (task rows and their index entries), so the schema and
 * Flyway's history at the start of the file still read, and a store still opens on it. Task ids
 * are fixed, so every run lays out and damages the very same pages.
 */
public final class CorruptedSqliteFile {
    /** SQLite's default page size. */
    private static final int PAGE = 4096;

    private CorruptedSqliteFile() {
    }

    /** Writes {@code file}: a store with a few thousand tasks, closed (so the WAL is folded in), then damaged. */
    public static void write(Path file) throws IOException {
        write(file, null, null);
    }

    /**
     * Like {@link #write(Path)}, but the store was first used by a Reclaim instance on the artifact root
     * {@code artifacts} (so that root is marked as this store's, and the Cleanup Service task exists).
     */
    public static void write(Path file, Path artifacts, Path staging) throws IOException {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Task.builder(String.format("019b76daa800%016x", i * 7919L), "task-" + i + "-" + "x".repeat(60), at)
                    .project("p" + (i % 7)).build());
        }
        if (artifacts != null) {
            Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(file)).artifactStore(FileArtifactStore.open(artifacts))
                    .stagingRoot(staging).build().close();
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(file)) {
            store.insertTasks(tasks);
        }
        long pages = Files.size(file) / PAGE;
        SplittableRandom random = new SplittableRandom(16);
        byte[] garbage = new byte[PAGE];
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            for (long page = pages - pages / 10; page < pages - pages / 10 + 8; page++) {
                for (int b = 0; b < PAGE; b++) {
                    garbage[b] = (byte) random.nextInt(256);
                }
                raf.seek(page * PAGE);
                raf.write(garbage);
            }
        }
    }
}
