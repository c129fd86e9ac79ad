package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.cli.Cli.Run;
import dev.reclaim.imports.ImportListener;
import dev.reclaim.imports.ImportOptions;
import dev.reclaim.imports.Layout;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.Task;
import dev.reclaim.query.TaskQuery;
import dev.reclaim.store.fs.FileArtifactStore;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code reclaim import} with a layout pattern: the dry run, --project and --archived, resuming an
 * interrupted import, and bad input, which exits 2 saying how to fix it and changes nothing.
 */
class ImportCommandTest {
    private static final String PATTERN = "{project}/{task}/{kind}/**";

    @TempDir
    Path tmp;
    Cli cli;
    Path runs;

    @BeforeEach
    void aTreeOfRuns() throws IOException {
        cli = new Cli(tmp.resolve("home"));
        runs = Files.createDirectories(tmp.resolve("runs"));
        for (int t = 0; t < 5; t++) {
            for (int i = 0; i < 500; i++) {
                Path f = runs.resolve("vision/exp-" + t + "/" + (i % 2 == 0 ? "models" : "debug") + "/f-" + i + ".bin");
                Files.createDirectories(f.getParent());
                Files.write(f, new byte[i % 10 + 1]);
            }
        }
        Files.writeString(runs.resolve("README"), "outside the layout");
        Files.createDirectories(runs.resolve("vision/exp-0/notes"));
        Files.writeString(runs.resolve("vision/exp-0/notes/todo.txt"), "an unknown kind folder: outside");
    }

    private static void assertRefused(Run r, String... parts) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(parts).doesNotContain("\tat ").doesNotContain("Exception");
    }

    private List<Task> tasks() {
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            return store.query(TaskQuery.builder().projects(List.of("vision", "P")).pageSize(500).build()).items();
        }
    }

    private List<Artifact> artifacts() {
        List<Artifact> all = new ArrayList<>();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            for (Task t : store.query(TaskQuery.builder().projects(List.of("vision", "P")).pageSize(500).build()).items()) {
                all.addAll(store.artifactsOf(t.id()));
            }
        }
        return all;
    }

    @Test
    void aDryRunListsEachTaskWithTotalsAndChangesNothing() {
        cli.run("stores", "list");
        Map<String, String> before = cli.snapshot();

        Run r = cli.run("import", runs.toString(), "--layout", PATTERN, "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("vision/exp-3").contains("exp-3").contains("new")
                .contains("dry run: would register 2,500 objects").contains("in 5 tasks (5 new)")
                .contains("it would be added as the artifact store 'runs'").contains("skipped 2 outside the layout");
        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(Files.exists(runs.resolve(".reclaim-root"))).isFalse();
        assertThat(cli.run("stores", "list").out()).doesNotContain("runs");
    }

    @Test
    void aDryRunOfAnImportedStoreCountsOnlyWhatIsNotRegisteredYet() throws IOException {
        assertThat(cli.run("import", runs.toString(), "--layout", PATTERN).exitCode()).isZero();
        Files.createDirectories(runs.resolve("vision/exp-9/models"));
        Files.write(runs.resolve("vision/exp-9/models/new.bin"), new byte[3]);
        Files.write(runs.resolve("vision/exp-1/models/new.bin"), new byte[4]);

        Run r = cli.run("import", runs.toString(), "--layout", PATTERN, "--dry-run");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("would register 2 objects (7 B) in 2 tasks (1 new)")
                .contains("(the artifact store 'runs')").contains("2,500 registered already").contains("exists");
        assertThat(artifacts()).hasSize(2500);
    }

    @Test
    void projectAndArchivedApplyToEveryTaskCreated() {
        Run r = cli.run("import", runs.toString(), "--layout", PATTERN, "--project", "P", "--archived");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.err()).contains("added the artifact store runs at file:");
        assertThat(r.out()).contains("5 tasks created").contains("2,500 objects");
        assertThat(tasks()).hasSize(5).allSatisfy(t -> {
            assertThat(t.project()).isEqualTo("P");
            assertThat(t.isArchived()).isTrue();
        });
    }

    @Test
    void anInterruptedImportResumesWhereItStoppedAndRegistersEachObjectOnce() {
        assertThat(cli.run("stores", "add", "runs", runs.toString()).exitCode()).isZero();
        ImportListener stopsAfterTwoBatches = new ImportListener() {
            int batches;

            @Override
            public void committed(long done, long total, long registered) {
                if (++batches == 2) {
                    throw new IllegalStateException("interrupted");
                }
            }
        };
        ImportOptions options = ImportOptions.of(Layout.parse(PATTERN)).withBatchSize(300);
        try (Reclaim r = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db")))
                .artifactStore(FileArtifactStore.open(cli.home().resolve("artifacts")))
                .store("runs", FileArtifactStore.open(runs)).stagingRoot(cli.home().resolve("staging")).build()) {
            assertThatThrownBy(() -> r.imports().run("runs", options, stopsAfterTwoBatches)).hasMessage("interrupted");
        }
        assertThat(artifacts()).hasSize(600);

        Run resumed = cli.run("import", runs.toString(), "--layout", PATTERN, "--output", "json");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).contains("\"objects\" : 1900").contains("\"already_registered\" : 600");
        List<Artifact> all = artifacts();
        Set<String> keys = new HashSet<>();
        all.forEach(a -> keys.add(a.storageKey()));
        assertThat(all).hasSize(2500);
        assertThat(keys).hasSize(2500);
        assertThat(tasks()).hasSize(5);
    }

    @Test
    void anUnknownLayoutOrAPatternWithoutATaskIsRefusedChangingNothing() {
        cli.run("stores", "list");
        Map<String, String> before = cli.snapshot();

        assertRefused(cli.run("import", runs.toString(), "--layout", "tensorboard"), "does not end in '/**'",
                "--layout mlflow or --layout clearml");
        assertRefused(cli.run("import", runs.toString(), "--layout", "{project}/{kind}/**"), "has no {task}",
                "{project}/{task}/{kind}/**");

        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(Files.exists(runs.resolve(".reclaim-root"))).isFalse();
    }

    @Test
    void aMissingSourceIsRefused() {
        assertRefused(cli.run("import", tmp.resolve("nowhere").toString(), "--layout", "mlflow"), "is not a folder",
                "s3://BUCKET/PREFIX");
        assertThat(Files.exists(cli.home())).isFalse();
    }

    @Test
    void aSourceOverlappingTheArtifactRootIsRefusedChangingNothing() throws IOException {
        cli.run("stores", "list");
        Files.createDirectories(cli.home().resolve("artifacts/tasks"));
        Map<String, String> before = cli.snapshot();

        assertRefused(cli.run("import", cli.home().resolve("artifacts/tasks").toString(), "--layout", "mlflow"),
                "overlaps this home's artifact root", "tasks/ folder", "outside the artifact root");
        assertRefused(cli.run("import", cli.home().resolve("artifacts").toString(), "--layout", "clearml"),
                "overlaps this home's artifact root");
        assertRefused(cli.run("import", tmp.toString(), "--layout", "clearml"), "overlaps this home's artifact root");

        assertThat(cli.snapshot()).isEqualTo(before);
        assertThat(cli.run("stores", "list").out()).doesNotContain("file:" + tmp + " ");
    }
    @Test
    void aSourceThatIsAStoreAlreadyIsImportedUnderItsName() {
        assertThat(cli.run("stores", "add", "ckpt", runs.toString()).exitCode()).isZero();

        Run r = cli.run("import", runs + "/", "--layout", PATTERN);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("the artifact store 'ckpt'").contains("2,500 objects");
        assertThat(r.err()).doesNotContain("added the artifact store");
        assertThat(artifacts()).allSatisfy(a -> assertThat(a.storageKey()).startsWith(".reclaim-stores/ckpt/"));
    }

    @Test
    void theHelpSaysThatRunningItAgainResumes() {
        Run help = cli.runRaw("import", "--help");

        assertThat(help.exitCode()).isZero();
        String text = help.out().replaceAll("\\s+", " ");
        assertThat(text).contains("interrupted import resumes by running the same command again")
                .contains("--dry-run").contains("mlflow").contains("clearml");
    }
}
