package dev.reclaim.jdbc;

import dev.reclaim.model.Task;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A separate process for {@link SqliteTaskStoreTest}: opens the store, prints {@code ready}, waits
 * for a line on stdin, then claims jobs until none is left and prints each claimed id.
 */
public final class ClaimingProcess {
    private ClaimingProcess() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of(args[0]);
        String worker = args[1];
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            Instant now = Instant.parse("2026-01-01T00:00:00Z");
            Optional<Task> t;
            while ((t = store.claimNext(List.of("q"), worker, now, now.plusSeconds(60))).isPresent()) {
                System.out.println("claimed " + t.get().id());
            }
        }
        System.out.println("done");
    }
}
