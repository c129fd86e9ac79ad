package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every jobs command's happy path, run in-process on a fresh home. */
class JobsCommandsTest {
    private static final String WRITES_EVERYTHING = "mkdir -p $RECLAIM_OUTPUT/models $RECLAIM_OUTPUT/debug; "
            + "echo weights > $RECLAIM_OUTPUT/models/epoch-1.ckpt; echo '<p>x</p>' > $RECLAIM_OUTPUT/debug/sample.html; "
            + "echo '{\"accuracy\": 0.9}' > $RECLAIM_OUTPUT/result.json; echo training done";

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
    }

    @Nested
    class Submit {
        @Test
        void a_waiting_submit_prints_the_job_id_runs_it_to_the_end_and_exits_0() {
            Run r = cli.run("jobs", "submit", "--no-auto-cleanup", "--", "sh", "-c", WRITES_EVERYTHING);

            assertThat(r.exitCode()).as(r.toString()).isZero();
            String id = r.firstLine();
            assertThat(id).matches("[0-9a-z]+");
            assertThat(r.err()).contains("job " + id + " FINISHED");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("FINISHED");
            assertThat(cli.artifactFiles()).anyMatch(f -> f.endsWith("epoch-1.ckpt")).anyMatch(f -> f.endsWith("sample.html"));
        }

        @Test
        void a_job_that_fails_exits_1_and_says_why() {
            Run r = cli.run("jobs", "submit", "--", "sh", "-c", "echo boom; exit 3");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("FAILED").contains("exit code 3").contains("reclaim jobs output " + r.firstLine());
            assertThat(cli.run("jobs", "status", r.firstLine()).trimmedOut()).isEqualTo("FAILED");
        }

        @Test
        void the_command_needs_no_double_dash_and_keeps_its_own_options() {
            Run r = cli.run("jobs", "submit", "--name", "greet", "sh", "-c", "echo hi --name x");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(cli.run("jobs", "output", r.firstLine()).out()).isEqualTo("hi --name x\n");
            assertThat(cli.run("jobs", "list").out()).contains("greet");
        }

        @Test
        void console_output_with_wait_prints_the_console_to_stderr_after_the_job() {
            Run r = cli.run("jobs", "submit", "--console-output", "--", "sh", "-c", "echo visible");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out().lines()).hasSize(1);
            assertThat(r.err()).contains("visible");
        }

        @Test
        void no_wait_without_a_live_worker_queues_the_job_and_says_how_to_start_one() {
            Run r = cli.run("jobs", "submit", "--no-wait", "--queue", "gpu", "--", "sh", "-c", "exit 0");

            assertThat(r.exitCode()).isZero();
            assertThat(r.err()).contains("no worker serves queue gpu").contains("./reclaim --home " + cli.home() + " worker --queue gpu");
            assertThat(cli.run("jobs", "status", r.firstLine()).trimmedOut()).isEqualTo("QUEUED");
        }

        @Test
        void the_job_runs_in_the_folder_it_was_submitted_from() {
            Run r = cli.run("jobs", "submit", "--", "sh", "-c", "pwd");

            assertThat(cli.run("jobs", "output", r.firstLine()).trimmedOut()).isEqualTo(cli.home().getParent().toString());
        }
    }

    @Nested
    class Status {
        @Test
        void one_id_prints_just_the_status_and_an_unknown_id_is_missing_not_an_error() {
            Run r = cli.run("jobs", "status", "nosuchjob");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("MISSING\n");
        }

        @Test
        void several_ids_print_id_and_status_per_line() {
            String done = cli.submitFinished("exit 0");
            String queued = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0").firstLine();

            Run r = cli.run("jobs", "status", done, queued, "nosuchjob");

            assertThat(r.out().lines()).containsExactly(done + " FINISHED", queued + " QUEUED", "nosuchjob MISSING");
        }
    }

    @Nested
    class Wait {
        @Test
        void waiting_for_a_finished_job_prints_finished_and_exits_0() {
            String id = cli.submitFinished("exit 0");

            Run r = cli.run("jobs", "wait", id);

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("FINISHED\n");
        }

        @Test
        void waiting_past_the_timeout_prints_the_current_status_and_exits_1() {
            String id = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0").firstLine();

            Run r = cli.run("jobs", "wait", id, "--timeout", "200ms");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEqualTo("QUEUED\n");
            assertThat(r.err()).contains("still QUEUED after 200ms").contains("no live worker serves");
        }

        @Test
        void waiting_for_a_failed_job_exits_1_with_its_error() {
            String id = cli.run("jobs", "submit", "--", "sh", "-c", "exit 4").firstLine();

            Run r = cli.run("jobs", "wait", id);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEqualTo("FAILED\n");
            assertThat(r.err()).contains("exit code 4");
        }
    }

    @Nested
    class Cancel {
        @Test
        void a_queued_job_is_canceled_and_kept_as_canceled() {
            String id = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0").firstLine();

            Run r = cli.run("jobs", "cancel", id);

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo(id + " canceled\n");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("CANCELED");
        }

        @Test
        void a_finished_or_missing_job_is_not_canceled_and_the_exit_code_is_1() {
            String done = cli.submitFinished("exit 0");
            String queued = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0").firstLine();

            Run r = cli.run("jobs", "cancel", queued, done, "nosuchjob");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out().lines()).containsExactly(queued + " canceled",
                    done + " not canceled: it is FINISHED; only QUEUED or RUNNING jobs can be canceled",
                    "nosuchjob not canceled: it does not exist (never submitted, or already cleaned up)");
            assertThat(cli.run("jobs", "status", done).trimmedOut()).isEqualTo("FINISHED");
        }
    }

    @Nested
    class Output {
        @Test
        void prints_the_console_output_and_deletes_nothing() {
            String id = cli.submitFinished(WRITES_EVERYTHING);
            var before = cli.artifactFiles();

            Run r = cli.run("jobs", "output", id);

            assertThat(r.exitCode()).isZero();
            assertThat(r.out()).isEqualTo("training done\n");
            assertThat(cli.artifactFiles()).isEqualTo(before);
        }

        @Test
        void a_missing_job_has_no_output_and_exits_1() {
            Run r = cli.run("jobs", "output", "nosuchjob");

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).contains("does not exist");
        }
    }

    @Nested
    class Results {
        @Test
        void keep_prints_the_result_and_keeps_the_job_then_auto_cleanup_removes_it() {
            String id = cli.submitFinished(WRITES_EVERYTHING);

            Run kept = cli.run("jobs", "results", id, "--keep");
            assertThat(kept.exitCode()).isZero();
            assertThat(kept.out()).isEqualTo("{\"accuracy\": 0.9}\n");
            assertThat(kept.err()).contains("kept");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("FINISHED");
            assertThat(cli.artifactFiles()).isNotEmpty();

            Run cleaned = cli.run("jobs", "results", id, "--auto-cleanup");
            assertThat(cleaned.exitCode()).isZero();
            assertThat(cleaned.out()).isEqualTo("{\"accuracy\": 0.9}\n");
            assertThat(cleaned.err()).contains("cleaned up");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("MISSING");
            assertThat(cli.artifactFiles()).isEmpty();
        }

        @Test
        void without_a_flag_the_submitted_no_auto_cleanup_decides() {
            String id = cli.submitFinished(WRITES_EVERYTHING);

            cli.run("jobs", "results", id);

            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("FINISHED");
        }

        @Test
        void without_any_setting_results_clean_up_by_default() {
            String id = cli.run("jobs", "submit", "--", "sh", "-c", "echo 7 > $RECLAIM_OUTPUT/result.json").firstLine();

            Run r = cli.run("jobs", "results", id);

            assertThat(r.out()).isEqualTo("7\n");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("MISSING");
        }

        @Test
        void console_output_comes_first_when_asked() {
            String id = cli.submitFinished(WRITES_EVERYTHING);

            Run r = cli.run("jobs", "results", id, "--keep", "--console-output");

            assertThat(r.out()).isEqualTo("training done\n{\"accuracy\": 0.9}\n");
        }

        @Test
        void results_of_a_failed_job_are_unavailable_with_the_reason_and_exit_1() {
            String id = cli.run("jobs", "submit", "--", "sh", "-c", "exit 2").firstLine();

            Run r = cli.run("jobs", "results", id);

            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("results unavailable").contains("failed");
            assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("FAILED");
        }

        @Test
        void keep_and_auto_cleanup_together_are_bad_usage() {
            Run r = cli.run("jobs", "results", "x", "--keep", "--auto-cleanup");

            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("mutually exclusive").contains("--help");
        }
    }

    @Nested
    class ListJobs {
        @Test
        void the_table_shows_id_name_status_modified_and_queue() {
            String done = cli.submitFinished("exit 0");
            String queued = cli.run("jobs", "submit", "--no-wait", "--name", "later", "--", "sh", "-c", "exit 0").firstLine();

            Run r = cli.run("jobs", "list");

            assertThat(r.exitCode()).isZero();
            var lines = r.out().lines().toList();
            assertThat(lines.get(0)).matches("ID +NAME +STATUS +MODIFIED +QUEUE");
            assertThat(lines.get(1)).startsWith(done).contains("sh").contains("FINISHED").containsPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
            assertThat(lines.get(2)).startsWith(queued).contains("later").contains("QUEUED").endsWith("default");
        }

        @Test
        void states_filter_and_json_output_is_an_array_of_objects() {
            String done = cli.submitFinished("exit 0");
            cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0");

            Run r = cli.run("jobs", "list", "--state", "finished", "--output", "json");

            assertThat(r.exitCode()).isZero();
            assertThat(r.out().trim()).startsWith("[").endsWith("]");
            assertThat(r.out()).contains("\"id\" : \"" + done + "\"").contains("\"status\" : \"FINISHED\"").doesNotContain("QUEUED");
        }

        @ParameterizedTest
        @ValueSource(booleans = {true, false})
        void start_and_end_time_are_inclusive_in_iso_or_epoch_seconds(boolean epoch) {
            String id = cli.submitFinished("exit 0");
            Instant created = Instant.parse(cli.run("jobs", "list", "--output", "json").out()
                    .replaceAll("(?s).*\"created_at\" : \"([^\"]+)\".*", "$1"));
            String start = epoch ? String.valueOf(created.getEpochSecond()) : created.toString();
            String end = epoch ? String.valueOf(created.getEpochSecond() + 1) : created.toString();

            assertThat(cli.run("jobs", "list", "--start-time", start, "--end-time", end).out()).contains(id);
            assertThat(cli.run("jobs", "list", "--start-time", created.plusMillis(1).toString()).out()).doesNotContain(id);
            assertThat(cli.run("jobs", "list", "--end-time", created.minusMillis(1).toString()).out()).doesNotContain(id);
        }
    }

    @Test
    void every_command_has_help_with_a_description_and_an_example() {
        for (String[] cmd : new String[][] {{}, {"jobs"}, {"jobs", "submit"}, {"jobs", "status"}, {"jobs", "wait"},
                {"jobs", "cancel"}, {"jobs", "output"}, {"jobs", "results"}, {"jobs", "list"}, {"jobs", "cleanup"},
                {"worker"}}) {
            String[] args = Stream.concat(Arrays.stream(cmd), Stream.of("--help"))
                    .toArray(String[]::new);
            Run r = cli.runRaw(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).startsWith("Usage: reclaim").containsPattern("Examples?:\n  reclaim|Examples?:\n  id=");
        }
        assertThat(cli.home()).doesNotExist();
    }
}
