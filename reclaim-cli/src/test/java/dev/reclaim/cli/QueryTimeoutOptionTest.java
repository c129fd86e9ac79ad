package dev.reclaim.cli;

import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --query-timeout}: every query's time limit, from the flag, the environment or the home's config. */
class QueryTimeoutOptionTest {
    @TempDir
    Path tmp;

    /** Thousands of long names against a pattern with many paths: linear, but far more than a millisecond. */
    private Cli homeWithManyLongNames() {
        Cli cli = new Cli(tmp.resolve("home"));
        assertThat(cli.run("tasks", "list").exitCode()).isZero();
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            tasks.add(Task.builder(Ids.next(at), "a".repeat(95) + "-" + i, at).build());
        }
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            store.insertTasks(tasks);
        }
        return cli;
    }

    @Test
    void aQueryOverItsTimeLimitFailsWithExitOneSayingHowToNarrowIt() {
        Cli cli = homeWithManyLongNames();
        Cli.Run r = cli.run("--query-timeout", "0.001", "tasks", "list", "--name", "(.*a){20}$");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("the query took longer than 0.001 s and was stopped; narrow the filter");
        assertThat(cli.run("tasks", "list", "--name", "(.*a){20}$").exitCode()).as("the default limit is ample").isZero();
    }

    @Test
    void theLimitAlsoComesFromTheEnvironmentAndTheHomesConfig() throws Exception {
        Cli cli = homeWithManyLongNames();
        Cli.Run fromEnv = cli.withEnv(Map.of("RECLAIM_QUERY_TIMEOUT", "0.001")).run("tasks", "list", "--name", "(.*a){20}$");
        assertThat(fromEnv.exitCode()).as(fromEnv.err()).isEqualTo(1);
        Files.writeString(cli.home().resolve("reclaim.properties"), "storage.query_timeout=0.001\n");
        Cli.Run fromFile = cli.run("tasks", "list", "--name", "(.*a){20}$");
        assertThat(fromFile.exitCode()).as(fromFile.err()).isEqualTo(1);
        assertThat(fromFile.err()).contains("took longer than 0.001 s");
    }

    @Test
    void aLimitThatIsNotAPositiveNumberOfSecondsIsBadInputNamingWhereItCameFrom() {
        Cli cli = new Cli(tmp.resolve("home"));
        Cli.Run zero = cli.run("--query-timeout", "0", "tasks", "list");
        assertThat(zero.exitCode()).isEqualTo(2);
        assertThat(zero.err()).contains("query timeout '0' (from --query-timeout)", "positive number of seconds");
        Cli.Run word = cli.withEnv(Map.of("RECLAIM_QUERY_TIMEOUT", "soon")).run("tasks", "list");
        assertThat(word.exitCode()).isEqualTo(2);
        assertThat(word.err()).contains("query timeout 'soon' (from RECLAIM_QUERY_TIMEOUT)");
        assertThat(cli.home().resolve("reclaim.db")).as("bad input changes nothing").doesNotExist();
    }
}
