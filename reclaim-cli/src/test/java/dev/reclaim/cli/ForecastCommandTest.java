package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim cleanup --forecast}: what the settings would free today and later, per project; nothing deleted. */
class ForecastCommandTest {
    @TempDir
    Path tmp;

    @Test
    void the_forecast_lists_today_a_week_and_the_days_asked_with_projects_and_deletes_nothing() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        String id = cli.run("tasks", "create", "--name", "old", "--project", "vision").firstLine();
        Path f = Files.write(tmp.resolve("w.bin"), new byte[2048]);
        assertThat(cli.run("tasks", "artifacts", "add", id, "--kind", "model", "--name", "w.bin", f.toString()).exitCode())
                .isZero();
        assertThat(cli.run("tasks", "archive", id).exitCode()).isZero();

        Run table = cli.run("cleanup", "--forecast", "--delete-threshold-days", "3", "--days", "10");
        Run json = cli.run("cleanup", "--forecast", "--delete-threshold-days", "3", "--output", "json");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("today").contains("in 7 days").contains("in 10 days").contains("vision")
                .contains("2.0 KiB");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        assertThat(doc.path("horizons").findValuesAsText("days")).containsExactly("0", "7", "30");
        assertThat(doc.path("horizons").get(0).path("tasks").asLong()).isZero();
        assertThat(doc.path("horizons").get(1).path("bytes").asLong()).isEqualTo(2048);
        assertThat(cli.run("tasks", "list").out()).contains(id);
        assertThat(cli.run("cleanup", "history", "--output", "json").out().trim()).isEqualTo("[ ]");
    }

    @Test
    void days_without_forecast_or_out_of_range_is_a_usage_error() {
        Cli cli = new Cli(tmp.resolve("home"));

        Run alone = cli.run("cleanup", "--days", "7");
        Run tooFar = cli.run("cleanup", "--forecast", "--days", "4000");

        assertThat(alone.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(alone.err()).contains("--forecast");
        assertThat(tooFar.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(tooFar.err()).contains("1 and 3650");
    }
}
