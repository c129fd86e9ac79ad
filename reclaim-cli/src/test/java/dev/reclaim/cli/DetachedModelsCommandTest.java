package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reproductions of a kept model (A's model is an input of B) through the CLI: a
 * cleanup that deletes both deletes the model, its dry run says so first, and {@code fsck} and
 * {@code models delete} deal with models kept by design.
 */
class DetachedModelsCommandTest {
    private static final Pattern TOTALS = Pattern.compile("; (\\d+) object\\(s\\), (.+?) (would be )?freed;");

    @TempDir
    Path tmp;
    Cli cli;
    Path weights;

    @BeforeEach
    void home() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        weights = Files.write(tmp.resolve("model.ckpt"), new byte[1000]);
    }

    private String ok(String... args) {
        Run r = cli.run(args);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.firstLine();
    }

    /** Tasks A and B of {@code status}; A's 1,000-byte model is an input of B. Returns A, B and the model's id. */
    private String[] aModelOfAUsedByB(String status) {
        String a = ok("tasks", "create", "--name", "A", "--status", status);
        String model = ok("tasks", "artifacts", "add", a, "--kind", "model", "--name", "model.ckpt", weights.toString());
        String b = ok("tasks", "create", "--name", "B", "--status", status);
        ok("tasks", "inputs", "add", b, model);
        return new String[]{a, b, model};
    }

    private static String totals(Run r) {
        Matcher m = TOTALS.matcher(r.out());
        assertThat(m.find()).as(r.toString()).isTrue();
        return m.group(1) + " object(s), " + m.group(2);
    }

    @Test
    void aForcedCleanupOfBothDeletesTheModelAndFsckFindsNothingLeft() {
        String[] abm = aModelOfAUsedByB("completed");
        ok("tasks", "archive", abm[0], abm[1]);

        Run run = cli.run("cleanup", "--delete-threshold-days", "0", "--force-delete");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(totals(run)).isEqualTo("1 object(s), " + Text.bytes(1000));
        assertThat(cli.artifactFiles()).isEmpty();
        Run fsck = cli.run("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
        assertThat(fsck.out()).doesNotContain("detached model");
    }

    @Test
    void theDryRunOfDraftsReportsWhatTheRunThenFrees() {
        String[] abm = aModelOfAUsedByB("created");
        ok("tasks", "archive", abm[0], abm[1]);

        Run dry = cli.run("cleanup", "--delete-threshold-days", "0", "--dry-run");
        Run real = cli.run("cleanup", "--delete-threshold-days", "0");

        assertThat(totals(dry)).isEqualTo(totals(real)).isEqualTo("1 object(s), " + Text.bytes(1000));
    }

    @Test
    void aPublishedModelOutlivingItsUsersIsListedByFsckAndDeletedOnlyWithForce() {
        String[] abm = aModelOfAUsedByB("completed");
        ok("tasks", "publish", abm[0]);
        ok("tasks", "delete", abm[0], "--force");
        ok("tasks", "delete", abm[1], "--force");

        Run fsck = cli.run("fsck");
        Map<String, String> before = cli.snapshot();
        Run refused = cli.run("models", "delete", abm[2]);
        Run unknown = cli.run("models", "delete", "no-such-model");

        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
        assertThat(fsck.out()).contains("kept detached model " + abm[2]).contains("published");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(3);
        assertThat(refused.err()).contains("published").contains("--force");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(2);
        assertThat(unknown.err()).contains("no artifact with id no-such-model");
        assertThat(cli.snapshot()).isEqualTo(before);

        Run deleted = cli.run("models", "delete", abm[2], "--force");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("deleted model " + abm[2] + ": 1 object(s)");
        assertThat(cli.artifactFiles()).isEmpty();
        assertThat(cli.run("fsck").out()).doesNotContain("detached model");
    }

    @Test
    void aModelOfALiveTaskIsNotDeletedOnItsOwn() {
        String[] abm = aModelOfAUsedByB("created");

        Run r = cli.run("models", "delete", abm[2], "--force");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("belongs to task " + abm[0]);
        assertThat(cli.artifactFiles()).hasSize(1);
    }
}
