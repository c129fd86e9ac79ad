package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Folders Reclaim did not create are not Reclaim's (defect 5 of issue 16): an artifact folder or a
 * home without Reclaim's marker, or with another store's, is refused with exit 2 and nothing in it
 * changes; an empty {@code --home} is bad input.
 */
class RootsCommandsTest {
    @TempDir
    Path tmp;
    Cli cli;
    Path data;

    @BeforeEach
    void aHomeAndAFolderOfSomeoneElsesFiles() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        data = Files.createDirectories(tmp.resolve("data"));
        Files.writeString(data.resolve("thesis.tex"), "years of work");
        Files.createDirectories(data.resolve("photos"));
        Files.writeString(data.resolve("photos/cat.jpg"), "meow");
    }

    private void assertRefusedAndUntouched(Run r, String... messageParts) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(messageParts).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(Cli.filesUnder(data)).containsExactly("photos/cat.jpg", "thesis.tex");
    }

    @Test
    void fsckRepairOnAFolderReclaimDidNotCreateIsRefusedAndDeletesNothing() {
        Run r = cli.run("--artifacts", data.toString(), "fsck", "--repair");

        assertRefusedAndUntouched(r, data.toString(), "not an artifact root Reclaim created", "adopt-root");
    }

    @Test
    void fsckAndCleanupsOnAFolderReclaimDidNotCreateAreRefused() {
        assertRefusedAndUntouched(cli.run("--artifacts", data.toString(), "fsck"), data.toString());
        assertRefusedAndUntouched(cli.run("--artifacts", data.toString(), "cleanup", "--delete-threshold-days", "0",
                "--force-delete"), data.toString());
        assertRefusedAndUntouched(cli.run("--artifacts", data.toString(), "jobs", "cleanup", "--all", "--force"), data.toString());
    }

    @Test
    void anotherHomesArtifactFolderIsRefusedAndItsObjectsStay() {
        Cli other = new Cli(tmp.resolve("other-home"));
        String job = other.submitFinished("mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt");
        List<String> before = other.artifactFiles();

        Run r = cli.run("--artifacts", other.artifacts().toString(), "fsck", "--repair");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("belongs to another task store");
        assertThat(other.artifactFiles()).isEqualTo(before).contains("tasks/" + job + "/models/m.ckpt");
        assertThat(other.run("fsck").exitCode()).isZero();
    }

    @Test
    void homesAndDatabasesThatCannotBeWhatTheyAreGivenAsAreBadInputAndCreateNothing() throws Exception {
        Path file = data.resolve("thesis.tex");
        Files.createDirectories(tmp.resolve("a-folder"));
        List<String> before = Cli.filesUnder(tmp);
        String[][] bad = {
                {"--home", file.resolve("home").toString(), "fsck"},
                {"--home", cli.home().toString(), "--db", "jdbc:sqlite:" + file.resolve("x.db"), "fsck"},
                {"--home", cli.home().toString(), "--db", "jdbc:sqlite:" + tmp.resolve("a-folder"), "fsck"},
                {"--home", cli.home().toString(), "--db", "jdbc:sqlite:" + file, "fsck", "--repair"},
        };
        String[] says = {"is a file, not a folder", "is a file, not a folder", "is a folder, not a database file",
                "is not a SQLite database"};
        for (int i = 0; i < bad.length; i++) {
            Run r = cli.runRaw(bad[i]);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains(says[i]).doesNotContain("Exception");
        }
        assertThat(Cli.filesUnder(tmp)).isEqualTo(before);
        assertThat(cli.home()).doesNotExist();
        assertThat(file).hasContent("years of work");
    }

    @Test
    void aHomeWithAFileWhereItsFolderBelongsIsRefusedAndNotMarked() throws Exception {
        Files.createDirectories(cli.home());
        Files.writeString(cli.home().resolve("staging"), "a file");

        Run r = cli.run("fsck");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(cli.home().resolve("staging").toString(), "is a file");
        assertThat(Cli.filesUnder(cli.home())).containsExactly("staging");
    }

    @Test
    void anEmptyHomeIsBadInputAndCreatesNothing() throws Exception {
        Path cwd = tmp; // Cli runs with the home's parent as the working directory
        List<String> before = Cli.filesUnder(cwd);

        Run flag = cli.runRaw("--home", "", "fsck", "--repair");
        Run blank = cli.runRaw("--home", " ", "tasks", "list");

        for (Run r : List.of(flag, blank)) {
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains("--home is empty");
        }
        assertThat(Cli.filesUnder(cwd)).isEqualTo(before);
        assertThat(cwd.resolve("reclaim.db")).doesNotExist();
        assertThat(cwd.resolve("artifacts")).doesNotExist();
    }

    @Test
    void anEmptyReclaimHomeVariableCountsAsUnsetNeverAsTheWorkingDirectory() {
        Path cwd = tmp;

        Run r = cli.withEnv(Map.of(ReclaimHome.ENV, "")).runRaw("fsck", "--repair");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cwd.resolve(ReclaimHome.DEFAULT_DIR + "/reclaim.db")).isRegularFile();
        assertThat(cwd.resolve("reclaim.db")).doesNotExist();
        assertThat(cwd.resolve("artifacts")).doesNotExist();
    }

    @Test
    void emptyStorageLocationsAreBadInput() {
        for (String[] args : new String[][]{{"--artifacts", "", "fsck"}, {"--db", "", "fsck"}}) {
            Run r = cli.run(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        }
        assertThat(cli.home()).doesNotExist();
    }

    @Test
    void aHomeInAFolderOfSomeoneElsesFilesIsRefusedAndNothingIsCreated() {
        Run r = new Cli(data).run("fsck", "--repair");

        assertRefusedAndUntouched(r, data.toString(), "not a Reclaim home");
        assertThat(data.resolve("reclaim.db")).doesNotExist();
        assertThat(data.resolve("artifacts")).doesNotExist();
    }

    @Test
    void aNewHomeAndItsArtifactFolderCarryMarkers() throws Exception {
        assertThat(cli.run("fsck").exitCode()).isZero();

        assertThat(Files.readString(cli.home().resolve(HomeMarker.NAME))).contains("\"format\":\"reclaim-home\"");
        assertThat(Files.readString(cli.artifacts().resolve(".reclaim-root"))).contains("\"task_store_id\"");
    }

    @Test
    void aHomeFromBeforeMarkersIsUsedAsItIsAndMarked() throws Exception {
        String job = cli.submitFinished("mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt");
        Files.delete(cli.home().resolve(HomeMarker.NAME));
        Files.delete(cli.artifacts().resolve(".reclaim-root"));
        forgetBindings(cli.home().resolve("reclaim.db"));

        Run r = cli.run("fsck", "--repair");

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(cli.home().resolve(HomeMarker.NAME)).isRegularFile();
        assertThat(cli.artifacts().resolve(".reclaim-root")).isRegularFile();
        assertThat(cli.artifactFiles()).contains("tasks/" + job + "/models/m.ckpt");
    }

    @Test
    void adoptRootMarksAFolderAPersonVouchesForAndItsOtherFilesStayUnmanaged() throws Exception {
        assertThat(cli.run("--artifacts", data.toString(), "fsck").exitCode()).isEqualTo(2);

        Run adopted = cli.run("--artifacts", data.toString(), "adopt-root");
        Run again = cli.run("--artifacts", data.toString(), "adopt-root");
        Run repaired = cli.run("--artifacts", data.toString(), "fsck", "--repair");

        assertThat(adopted.exitCode()).as(adopted.toString()).isZero();
        assertThat(adopted.out()).contains("marked as this task store's", data.toString());
        assertThat(again.out()).contains("already this task store's");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.out()).contains("2 unmanaged object(s)", "unmanaged object photos/cat.jpg",
                "unmanaged object thesis.tex", "--delete-unmanaged");
        assertThat(Cli.filesUnder(data)).containsExactly(".reclaim-root", "photos/cat.jpg", "thesis.tex");
    }

    @Test
    void adoptRootNeverTakesAnotherHomesArtifactFolderAndSaysWhatWould() throws Exception {
        Cli other = new Cli(tmp.resolve("other-home"));
        other.submitFinished("echo hi");
        List<String> before = Cli.filesUnder(other.artifacts());

        Run r = cli.run("--artifacts", other.artifacts().toString(), "adopt-root");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("belongs to another task store", "delete the marker (.reclaim-root) by hand and run "
                + "adopt-root again");
        assertThat(Cli.filesUnder(other.artifacts())).isEqualTo(before);
        assertThat(cli.home()).as("a refused command creates no home").doesNotExist();

        // the way the message names: that store is gone for good, its marker is deleted by hand
        Files.delete(other.artifacts().resolve(".reclaim-root"));
        Run adopted = cli.run("--artifacts", other.artifacts().toString(), "adopt-root");
        assertThat(adopted.exitCode()).as(adopted.toString()).isZero();
        assertThat(adopted.out()).contains("marked as this task store's");
    }

    @Test
    void aRefusedRootCreatesNoHomeNoDatabaseAndNoFolder() {
        Cli other = new Cli(tmp.resolve("other-home"));
        other.submitFinished("echo hi");
        String[][] refused = {
                {"--artifacts", data.toString(), "fsck", "--repair"},
                {"--artifacts", data.toString(), "tasks", "list"},
                {"--artifacts", other.artifacts().toString(), "fsck"},
                {"--artifacts", other.artifacts().toString(), "cleanup", "--dry-run"},
        };
        for (String[] args : refused) {
            Run r = cli.run(args);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(cli.home()).as("after " + String.join(" ", args)).doesNotExist();
        }
        assertThat(Cli.filesUnder(data)).containsExactly("photos/cat.jpg", "thesis.tex");
    }

    @Test
    void aStoreBoundToItsRootGivenAnotherFolderThatDoesNotExistRefusesAndCreatesNothing() {
        cli.submitFinished("echo hi");
        Path elsewhere = tmp.resolve("new/empty/artifacts");

        Run r = cli.run("--artifacts", elsewhere.toString(), "fsck", "--repair");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains(elsewhere.toString(), "has no Reclaim marker", "bound at");
        assertThat(tmp.resolve("new")).doesNotExist();
    }

    @Test
    void anArtifactsLocationThatIsAFileIsBadInputAndCreatesNothing() {
        for (String where : List.of("thesis.tex", "thesis.tex/inside")) {
            Path file = data.resolve(where);

            Run r = cli.run("--artifacts", file.toString(), "fsck");

            assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
            assertThat(r.err()).contains(data.resolve("thesis.tex").toString(), "is a file, not a folder", "--artifacts")
                    .doesNotContain("Exception");
            assertThat(cli.home()).doesNotExist();
        }
        assertThat(Cli.filesUnder(data)).containsExactly("photos/cat.jpg", "thesis.tex");
    }

    @Test
    void anUnmanagedObjectIsDeletedOnlyWhenNamedAndANameThatIsReclaimsDeletesNothing() throws Exception {
        String job = cli.submitFinished("mkdir -p $RECLAIM_OUTPUT/models; echo w > $RECLAIM_OUTPUT/models/m.ckpt");
        Files.createDirectories(cli.artifacts().resolve("notes"));
        Files.writeString(cli.artifacts().resolve("notes/a.txt"), "a");
        Files.writeString(cli.artifacts().resolve("notes/b.txt"), "b");
        String model = "tasks/" + job + "/models/m.ckpt";

        Run refused = cli.run("fsck", "--delete-unmanaged", "notes/a.txt", "--delete-unmanaged", model);
        Run deleted = cli.run("fsck", "--delete-unmanaged", "notes/a.txt");

        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
        assertThat(refused.err()).contains(model, "nothing was deleted");
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("deleted 1 unmanaged object(s): notes/a.txt", "unmanaged object notes/b.txt");
        assertThat(cli.artifactFiles()).contains("notes/b.txt", model).doesNotContain("notes/a.txt");
    }

    @Test
    void anUnmanagedObjectNamedTwiceIsDeletedOnceAndReportedOnce() throws Exception {
        cli.submitFinished("echo hi");
        Files.createDirectories(cli.artifacts().resolve("notes"));
        Files.writeString(cli.artifacts().resolve("notes/a.txt"), "a");

        Run deleted = cli.run("fsck", "--delete-unmanaged", "notes/a.txt", "--delete-unmanaged", "notes/a.txt");

        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(deleted.out()).contains("deleted 1 unmanaged object(s): notes/a.txt\n");
        assertThat(cli.artifactFiles()).doesNotContain("notes/a.txt");
    }

    private static void forgetBindings(Path sqliteFile) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqliteFile);
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM artifact_roots");
        }
    }
}
