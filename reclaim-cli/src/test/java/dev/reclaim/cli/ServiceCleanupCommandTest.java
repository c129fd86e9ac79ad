package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim cleanup}: dry run, real run, history, settings layers and bad values. */
class ServiceCleanupCommandTest {
    @TempDir
    Path tmp;
    Cli cli;
    List<String> archived = new ArrayList<>();

    @BeforeEach
    void threeArchivedDraftsAndOneArchivedCompletedTask() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        Path f = Files.writeString(tmp.resolve("f"), "0123456789");
        for (String status : List.of("created", "created", "created", "completed")) {
            String id = cli.run("tasks", "create", "--name", "t-" + status, "--status", status).firstLine();
            cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "out.bin", f.toString());
            cli.run("tasks", "archive", id);
            archived.add(id);
        }
    }

    @Test
    void theDryRunListsEachTaskWithItsRuleAndBytesAndDeletesNothing() {
        Map<String, String> before = cli.snapshot();
        Run dry = cli.run("cleanup", "--dry-run", "--delete-threshold-days", "0");
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        assertThat(dry.out()).contains("would delete " + archived.get(0)).contains("status CREATED (draft)")
                .contains("3 would be deleted").contains("30 B would be freed").doesNotContain(archived.get(3));
        assertThat(cli.artifactFiles()).hasSize(4);
        assertThat(cli.snapshot().keySet()).containsAll(before.keySet().stream().filter(k -> k.startsWith("artifacts")).toList());
    }

    @Test
    void aRunDeletesOnlyDraftsUnlessForceDeleteAndIsRecordedInTheHistory() {
        Run run = cli.run("cleanup", "--delete-threshold-days", "0");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("3 deleted").contains("30 B freed");
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + archived.get(3) + "/artifacts/out.bin");
        assertThat(cli.run("cleanup", "--delete-threshold-days", "0", "--force-delete").out()).contains("1 deleted");
        assertThat(cli.artifactFiles()).isEmpty();
        Run history = cli.run("cleanup", "history", "--output", "json");
        assertThat(history.out()).contains("\"deleted\" : 3").contains("\"deleted\" : 1");
    }

    @Test
    void theThresholdKeepsYoungTasks() {
        assertThat(cli.run("cleanup").out()).contains("0 deleted");
        assertThat(cli.artifactFiles()).hasSize(4);
    }

    @Test
    void settingsComeFromTheConfigFileThenTheEnvironmentThenFlags() throws Exception {
        Files.writeString(cli.home().resolve("reclaim.yaml"), "# retention\ndelete_threshold_days: 0\nforce_delete: true\n");
        cli.env().put("RECLAIM_CLEANUP_FORCE_DELETE", "false");
        Run run = cli.run("cleanup", "--dry-run");
        assertThat(run.out()).contains("3 would be deleted");
        Run flagged = cli.run("cleanup", "--dry-run", "--force-delete");
        assertThat(flagged.out()).contains("4 would be deleted");
    }

    @Test
    void badSettingsExitTwoNamingTheSettingAndWhereItCameFromAndDeleteNothing() throws Exception {
        Map<String, String> before = cli.snapshot();
        Run flag = cli.run("cleanup", "--delete-threshold-days", "-1");
        assertThat(flag.exitCode()).isEqualTo(2);
        assertThat(flag.err()).contains("command line").contains("delete_threshold_days");
        assertThat(cli.run("cleanup", "--age-basis", "created").exitCode()).isEqualTo(2);
        assertThat(cli.run("cleanup", "--keep-last", "many").exitCode()).isEqualTo(2);
        assertThat(cli.run("cleanup", "--page-size", "0").exitCode()).isEqualTo(2);
        Run parallelism = cli.run("cleanup", "--parallelism", "65");
        assertThat(parallelism.exitCode()).isEqualTo(2);
        assertThat(parallelism.err()).contains("parallelism must be between 1 and 64, got 65");
        assertThat(cli.run("cleanup", "history", "--limit", "0").exitCode()).isEqualTo(2);
        cli.env().put("RECLAIM_CLEANUP_DELETE_THRESHOLD_DAYS", "soon");
        Run env = cli.run("cleanup", "--delete-threshold-days", "0");
        assertThat(env.exitCode()).isEqualTo(2);
        assertThat(env.err()).contains("environment").contains("soon");
        assertThat(cli.snapshot()).isEqualTo(before);
    }
}
