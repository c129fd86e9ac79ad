package dev.reclaim.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim tasks hold|release}, {@code tasks artifacts hold|release|rm} and {@code reclaim holds}. */
class HoldsCommandTest {
    @TempDir
    Path tmp;
    Cli cli;
    String task;
    String log;
    String sample;

    private String add(String kind, String name, int bytes) throws Exception {
        Path f = Files.write(tmp.resolve(name), new byte[bytes]);
        Run added = cli.run("tasks", "artifacts", "add", task, "--kind", kind, "--name", name, f.toString());
        assertThat(added.exitCode()).as(added.toString()).isZero();
        return added.firstLine();
    }

    @BeforeEach
    void aTaskWithTwoArtifacts() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        task = cli.run("tasks", "create", "--name", "t", "--project", "p").firstLine();
        log = add("log", "train.log", 20);
        sample = add("debug_sample", "sample.png", 300);
    }

    @Test
    void a_held_task_is_listed_refused_by_delete_and_deleted_with_force_which_releases_it() {
        Run held = cli.run("tasks", "hold", task, "--reason", "paper");
        Run listed = cli.run("holds");
        Run refused = cli.run("tasks", "delete", task);
        Run forced = cli.run("tasks", "delete", task, "--force");

        assertThat(held.out()).contains(task + " held");
        assertThat(listed.out()).contains("HELD").contains("task").contains(task).contains("paper");
        assertThat(refused.exitCode()).isEqualTo(ExitCodes.NEEDS_FORCE);
        assertThat(refused.err()).contains("on hold").contains("reclaim tasks release " + task);
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(cli.run("holds").out()).contains("nothing is on hold");
        assertThat(cli.run("audit", "--task", task).out()).contains("hold").contains("release");
    }

    @Test
    void an_artifact_is_deleted_alone_after_a_dry_run_that_says_the_same() throws Exception {
        JsonNode dry = new ObjectMapper().readTree(cli.run("tasks", "artifacts", "rm", task, sample, "--dry-run",
                "--output", "json").out());
        Run rm = cli.run("tasks", "artifacts", "rm", task, sample);

        assertThat(dry.path("dry_run").asBoolean()).isTrue();
        assertThat(dry.path("bytes").asLong()).isEqualTo(300);
        assertThat(rm.exitCode()).as(rm.toString()).isZero();
        assertThat(rm.out()).contains("deleted 1 artifact(s) of task " + task).contains("300 B");
        assertThat(cli.artifactFiles()).hasSize(1);
    }

    @Test
    void a_held_artifact_needs_force_and_force_releases_its_hold() {
        assertThat(cli.run("tasks", "artifacts", "hold", task, log, "--reason", "keep the log").exitCode()).isZero();

        Run refused = cli.run("tasks", "artifacts", "rm", task, log);
        Run forced = cli.run("tasks", "artifacts", "rm", task, log, "--force");

        assertThat(refused.exitCode()).isEqualTo(ExitCodes.NEEDS_FORCE);
        assertThat(refused.err()).contains("artifact " + log).contains("on hold").contains("nothing was deleted");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(cli.run("holds", "--output", "json").out()).contains("\"holds\" : [ ]");
    }

    @Test
    void an_artifact_of_another_task_or_none_is_refused_and_nothing_changes() {
        String other = cli.run("tasks", "create", "--name", "o").firstLine();

        Run wrongTask = cli.run("tasks", "artifacts", "rm", other, log);
        Run holdWrong = cli.run("tasks", "artifacts", "hold", other, log);
        Run noTask = cli.run("tasks", "hold", "no-such-task");

        assertThat(wrongTask.exitCode()).isNotZero();
        assertThat(wrongTask.err()).contains("has no live artifact " + log).contains("reclaim tasks artifacts list " + other);
        assertThat(holdWrong.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(holdWrong.err()).contains("not an artifact of task " + other);
        assertThat(noTask.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(cli.artifactFiles()).hasSize(2);
        assertThat(cli.run("holds").out()).contains("nothing is on hold");
    }
}
