package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code jobs cleanup}: what it prints and every exit code (0, 1, 2, 3). */
class CleanupCommandTest {
    private static final String WRITES_MODEL = "mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt; "
            + "echo 1 > $RECLAIM_OUTPUT/result.json";

    @TempDir
    Path tmp;
    Cli cli;

    @BeforeEach
    void setUp() {
        cli = new Cli(tmp.resolve("home"));
    }

    @Test
    void a_job_whose_results_were_retrieved_is_deleted_with_each_object_and_record_printed_and_exit_0() {
        String id = cli.submitFinished(WRITES_MODEL);
        cli.run("jobs", "results", id, "--keep");

        Run r = cli.run("jobs", "cleanup", id);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("deleted object tasks/" + id + "/models/m.ckpt")
                .contains("deleted record task " + id)
                .contains("job " + id + " cleaned up (");
        assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("MISSING");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void failed_jobs_are_deleted_and_already_gone_jobs_are_reported_not_errors() {
        String failed = cli.run("jobs", "submit", "--", "sh", "-c", "exit 1").firstLine();

        Run r = cli.run("jobs", "cleanup", failed, "nosuchjob");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("job " + failed + " cleaned up").contains("job nosuchjob already gone");
    }

    @Test
    void a_finished_job_whose_results_were_never_retrieved_is_skipped_with_the_way_forward_and_exit_3() {
        String id = cli.submitFinished(WRITES_MODEL);
        var before = cli.artifactFiles();

        Run r = cli.run("jobs", "cleanup", id);

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.err()).contains("skipped").contains(id).contains("results were never retrieved")
                .contains("reclaim jobs results " + id).contains("reclaim jobs cleanup --force " + id);
        assertThat(cli.run("jobs", "status", id).trimmedOut()).isEqualTo("FINISHED");
        assertThat(cli.artifactFiles()).isEqualTo(before).isNotEmpty();
    }

    @Test
    void force_deletes_unretrieved_results_and_queued_jobs() {
        String finished = cli.submitFinished(WRITES_MODEL);
        String queued = cli.run("jobs", "submit", "--no-wait", "--", "sh", "-c", "exit 0").firstLine();
        assertThat(cli.run("jobs", "cleanup", queued).exitCode()).isEqualTo(3);

        Run r = cli.run("jobs", "cleanup", "--force", finished, queued);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cli.run("jobs", "status", finished, queued).out())
                .isEqualTo(finished + " MISSING\n" + queued + " MISSING\n");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void a_failure_exits_1_and_wins_over_a_skip_and_the_next_cleanup_finishes_the_deletion() throws IOException {
        String broken = cli.submitFinished(WRITES_MODEL);
        String unretrieved = cli.submitFinished(WRITES_MODEL);
        cli.run("jobs", "results", broken, "--keep");
        Path models = cli.artifacts().resolve("tasks").resolve(broken).resolve("models");
        Path moved = tmp.resolve("moved-models");
        Files.move(models, moved);
        Files.createSymbolicLink(models, moved); // a link where a folder was: deletion never follows it

        Run r = cli.run("jobs", "cleanup", broken, unretrieved);

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("failed: job " + broken).contains("symbolic link")
                .contains("skipped: job " + unretrieved);
        assertThat(moved.resolve("m.ckpt")).exists();

        Files.delete(models);
        Files.move(moved, models);
        // The failed object is retried after a back-off; a later cleanup finishes the deletion.
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300))
                .until(() -> cli.run("jobs", "cleanup", broken).exitCode() == 0);
        assertThat(cli.artifactFiles()).noneMatch(f -> f.contains(broken));
        assertThat(cli.run("jobs", "status", broken).trimmedOut()).isEqualTo("MISSING");
    }

    @Test
    void all_cleans_every_job_and_quiet_prints_only_what_needs_attention() {
        String failed = cli.run("jobs", "submit", "--", "sh", "-c", "exit 1").firstLine();
        String unretrieved = cli.submitFinished(WRITES_MODEL);

        Run r = cli.run("jobs", "cleanup", "--all", "--quiet");

        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("skipped: job " + unretrieved).doesNotContain(failed);
        assertThat(cli.run("jobs", "status", failed).trimmedOut()).isEqualTo("MISSING");

        Run forced = cli.run("jobs", "cleanup", "--all", "--force");
        assertThat(forced.exitCode()).isZero();
        assertThat(forced.out()).contains("job " + unretrieved + " cleaned up");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void no_ids_and_no_all_or_both_are_bad_usage_exit_2_and_change_nothing() {
        String id = cli.submitFinished(WRITES_MODEL);
        var before = cli.snapshot();

        Run none = cli.run("jobs", "cleanup");
        Run both = cli.run("jobs", "cleanup", "--all", "--force", id);

        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.err()).contains("give the ids of the jobs to clean up, or --all").contains("--help");
        assertThat(both.exitCode()).isEqualTo(2);
        assertThat(both.err()).contains("not both");
        assertThat(cli.snapshot()).isEqualTo(before);
    }
}
