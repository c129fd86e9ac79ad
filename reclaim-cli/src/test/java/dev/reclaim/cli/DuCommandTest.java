package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim du}: where the bytes are; fsck finds a tampered total and --repair rebuilds it. */
class DuCommandTest {
    @TempDir
    Path tmp;

    private String taskWith(Cli cli, String project, String kind, int bytes) throws Exception {
        String id = cli.run("tasks", "create", "--name", "t", "--project", project).firstLine();
        Path f = Files.write(tmp.resolve(id + ".bin"), new byte[bytes]);
        Run add = cli.run("tasks", "artifacts", "add", id, "--kind", kind, "--name", "a.bin", f.toString());
        assertThat(add.exitCode()).as(add.toString()).isZero();
        return id;
    }

    @Test
    void du_groups_by_what_is_asked_and_lists_the_largest_tasks() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        String big = taskWith(cli, "vision", "model", 4096);
        taskWith(cli, "vision", "log", 10);
        taskWith(cli, "nlp", "model", 100);

        Run table = cli.run("du", "--by", "project,kind");
        JsonNode json = new ObjectMapper().readTree(cli.run("du", "--by", "project", "--output", "json").out());

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("PROJECT").contains("KIND").contains("vision").contains("MODEL")
                .contains("4.0 KiB").contains("total: 3 object(s)").contains("LARGEST TASKS").contains(big);
        assertThat(json.path("bytes").asLong()).isEqualTo(4206);
        assertThat(json.path("groups").get(0).path("key").get(0).asText()).isEqualTo("vision");
        assertThat(json.path("groups").get(0).path("bytes").asLong()).isEqualTo(4106);
    }

    @Test
    void a_tampered_total_is_found_by_fsck_and_rebuilt_by_repair() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        taskWith(cli, "vision", "model", 100);
        assertThat(cli.run("du").exitCode()).isZero(); // folds the log into the totals
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("home/reclaim.db"));
             Statement s = c.createStatement()) {
            s.execute("UPDATE usage_totals SET bytes = bytes + 1000");
        }

        Run found = cli.run("fsck");
        Run repaired = cli.run("fsck", "--repair");

        assertThat(found.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(found.out()).contains("usage total").contains("kept as 1 object(s), 1100 bytes");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(cli.run("du", "--output", "json").out()).contains("\"bytes\" : 100");
    }

    @Test
    void du_history_shows_what_each_day_added_and_freed() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        String kept = taskWith(cli, "vision", "model", 100);
        String gone = taskWith(cli, "vision", "model", 50);
        Run delete = cli.run("tasks", "delete", gone, "--force");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();

        Run table = cli.run("du", "--history", "2");
        JsonNode days = new ObjectMapper().readTree(cli.run("du", "--history", "2", "--output", "json").out()).path("days");

        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("DAY (UTC)").contains("ADDED").contains("FREED");
        assertThat(days).hasSize(2);
        assertThat(days.get(1).path("bytes").asLong()).as(kept + " stays").isEqualTo(100);
        // summed over both days: a run that crosses midnight UTC splits them
        assertThat(days.get(0).path("added_bytes").asLong() + days.get(1).path("added_bytes").asLong()).isEqualTo(150);
        assertThat(days.get(0).path("freed_bytes").asLong() + days.get(1).path("freed_bytes").asLong()).isEqualTo(50);
        assertThat(cli.run("du", "--history", "0").err()).contains("--history must be between 1 and 3650");
    }

    @Test
    void a_bad_grouping_names_the_choices_and_changes_nothing() {
        Cli cli = new Cli(tmp.resolve("home"));

        Run bad = cli.run("du", "--by", "project,color");

        assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).contains("'color'").contains("project, kind, status, archived, owner, age");
    }
}
