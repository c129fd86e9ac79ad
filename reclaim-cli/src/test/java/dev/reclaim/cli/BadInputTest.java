package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets one clear message, exit code 2, no stack trace, and changes nothing: each test
 * starts from a home with a finished job and checks every file under it is byte-for-byte unchanged.
 */
class BadInputTest {
    @TempDir
    Path tmp;
    Cli cli;
    String job;
    Map<String, String> before;

    @BeforeEach
    void aHomeWithAFinishedJob() {
        cli = new Cli(tmp.resolve("home"));
        job = cli.submitFinished("mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt");
        before = cli.snapshot();
    }

    private void assertUsageErrorThatChangedNothing(Run r, String... messageParts) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(messageParts).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.run("jobs", "status", job).trimmedOut()).isEqualTo("FINISHED");
        before = cli.snapshot(); // for a second bad command in the same test
    }

    @Test
    void an_unknown_option_names_it_and_points_to_help() {
        Run r = cli.run("jobs", "cleanup", "--frobnicate", job);

        assertUsageErrorThatChangedNothing(r, "Unknown option: '--frobnicate'", "Try 'reclaim jobs cleanup --help'");
    }

    @Test
    void an_unknown_command_suggests_the_closest() {
        Run r = cli.run("jobs", "stauts", job);

        assertUsageErrorThatChangedNothing(r, "stauts", "status", "--help");
    }

    @Test
    void a_bad_state_names_the_accepted_values() {
        Run r = cli.run("jobs", "list", "--state", "DONE");

        assertUsageErrorThatChangedNothing(r, "--state", "unknown job state 'DONE'",
                "QUEUED, RUNNING, FINISHED, FAILED, CANCELED, UNDETERMINED, MISSING");
    }

    @Test
    void a_bad_start_time_shows_the_accepted_formats() {
        Run r = cli.run("jobs", "list", "--start-time", "yesterday");

        assertUsageErrorThatChangedNothing(r, "--start-time", "'yesterday' is not a time",
                "ISO-8601 UTC like 2026-01-01T00:00:00Z", "epoch seconds like 1767225600");
    }

    @Test
    void a_start_time_after_the_end_time_says_so() {
        Run r = cli.run("jobs", "list", "--start-time", "2026-02-01T00:00:00Z", "--end-time", "2026-01-01T00:00:00Z");

        assertUsageErrorThatChangedNothing(r, "is after end time");
    }

    @Test
    void a_bad_output_format_names_the_choices() {
        Run r = cli.run("jobs", "list", "--output", "xml");

        assertUsageErrorThatChangedNothing(r, "--output", "table, json");
    }

    @Test
    void a_bad_duration_shows_the_accepted_forms() {
        Run r = cli.run("jobs", "wait", job, "--timeout", "soon");

        assertUsageErrorThatChangedNothing(r, "'soon' is not a duration", "500ms, 5s, 2m");
    }

    @Test
    void worker_timings_that_would_make_live_jobs_look_undetermined_are_refused() {
        Run r = cli.run("worker", "--heartbeat", "5s", "--lease-timeout", "6s");

        assertUsageErrorThatChangedNothing(r, "lease timeout", "more than twice the heartbeat");
    }

    @Test
    void a_program_that_does_not_exist_is_refused_before_any_job_is_created() {
        Run r = cli.run("jobs", "submit", "--", "no-such-program-xyz", "--flag");

        assertUsageErrorThatChangedNothing(r, "cannot run 'no-such-program-xyz'", "no such program on PATH", "full path");
        assertThat(cli.run("jobs", "list").out().lines()).hasSize(2);
    }

    @Test
    void a_program_path_that_does_not_exist_or_is_not_executable_is_refused() throws IOException {
        Path script = Files.writeString(tmp.resolve("train.sh"), "echo hi\n");

        Run missing = cli.run("jobs", "submit", "--", "./nothere.sh");
        assertUsageErrorThatChangedNothing(missing, "cannot run './nothere.sh'", "there is no file");

        Run notExecutable = cli.run("jobs", "submit", "--", "./train.sh");
        assertUsageErrorThatChangedNothing(notExecutable, "is not executable", "chmod +x ./train.sh", "-- sh ./train.sh");
        assertThat(script).exists();
    }

    @Test
    void a_bad_queue_name_says_what_is_allowed() {
        Run r = cli.run("jobs", "submit", "--queue", "a b", "--", "true");

        assertUsageErrorThatChangedNothing(r, "queue name 'a b' is not valid");
    }

    @Test
    void submit_without_a_command_is_bad_usage() {
        Run r = cli.run("jobs", "submit", "--no-wait");

        assertUsageErrorThatChangedNothing(r, "Missing required parameter", "CMD");
    }

    @Test
    void a_home_that_is_a_file_is_refused_and_the_file_is_untouched() throws IOException {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "precious");

        Run r = cli.runRaw("--home", file.toString(), "jobs", "status", job);

        assertUsageErrorThatChangedNothing(r, "home " + file, "is a file, not a folder", "--home DIR");
        assertThat(Files.readString(file)).isEqualTo("precious");
    }

    @Test
    void task_names_projects_tags_and_parameters_with_control_characters_or_over_their_limit_exit_2() throws IOException {
        assertUsageErrorThatChangedNothing(cli.run("tasks", "create", "--name", "exp\n1"), "task name", "U+000A");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "create", "--name", "n".repeat(257)), "257 characters", "256");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "create", "--name", "x", "--project", "vision,nlp"), "comma");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "create", "--name", "x", "--tag", "a\u202Eb"), "tag", "U+202E");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "params", "set", job, "k\u0001=v"), "parameter name", "U+0001");
        Path file = Files.writeString(tmp.resolve("m.bin"), "m");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "artifacts", "add", job, "--kind", "model", "--name", "m\u202E.bin",
                file.toString()), "artifact name", "U+202E");
    }

    @Test
    void an_artifact_name_with_a_part_longer_than_255_bytes_of_utf8_exits_2_saying_the_limit() throws IOException {
        Path file = Files.writeString(tmp.resolve("m.bin"), "m");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "artifacts", "add", job, "--kind", "model", "--name",
                "\u00E9".repeat(128), file.toString()), "artifact name", "256 bytes", "255 bytes");
        assertUsageErrorThatChangedNothing(cli.run("tasks", "artifacts", "add", job, "--kind", "model", "--name",
                "dir/" + "x".repeat(300) + "/m.bin", file.toString()), "artifact name", "300 bytes", "255 bytes");
    }

    @Test
    void job_names_projects_token_names_and_cleanup_projects_follow_the_same_limits() {
        assertUsageErrorThatChangedNothing(cli.run("jobs", "submit", "--name", "a\nb", "--", "true"), "job name", "U+000A");
        assertUsageErrorThatChangedNothing(cli.run("jobs", "submit", "--project", "p".repeat(129), "--", "true"),
                "project", "129 characters", "128");
        assertUsageErrorThatChangedNothing(cli.run("tokens", "create", "--name", "t".repeat(65), "--role", "viewer"),
                "token name", "64");
        assertUsageErrorThatChangedNothing(cli.run("cleanup", "--dry-run", "--project", "a\tb"), "project", "U+0009");
    }

    @Test
    void a_command_without_a_subcommand_lists_the_choices() {
        Run r = cli.run("jobs");

        assertUsageErrorThatChangedNothing(r, "missing command", "submit", "cleanup");
    }

    @Test
    void nothing_is_created_for_bad_input_on_a_fresh_home() {
        Cli fresh = new Cli(tmp.resolve("fresh"));

        assertThat(fresh.run("jobs", "submit", "--", "no-such-program-xyz").exitCode()).isEqualTo(2);
        assertThat(fresh.run("jobs", "cleanup").exitCode()).isEqualTo(2);
        assertThat(fresh.run("jobs", "list", "--state", "bogus").exitCode()).isEqualTo(2);
        assertThat(fresh.home()).doesNotExist();
    }
}
