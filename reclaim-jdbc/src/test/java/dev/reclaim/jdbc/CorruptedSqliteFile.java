package dev.reclaim.jdbc;

import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;

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
 * Flyway's history at the start of the file still read, and a store still opens on it.
 */
public final class CorruptedSqliteFile {
    /** SQLite's default page size. */
    private static final int PAGE = 4096;

    private CorruptedSqliteFile() {
    }

    /** Writes {@code file}: a store with a few thousand tasks, closed (so the WAL is folded in), then damaged. */
    public static void write(Path file) throws IOException {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Task.builder(Ids.next(at), "task-" + i + "-" + "x".repeat(60), at).project("p" + (i % 7)).build());
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
