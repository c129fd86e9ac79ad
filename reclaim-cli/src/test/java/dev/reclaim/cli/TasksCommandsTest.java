package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import dev.reclaim.jdbc.JdbcTaskStore;
import dev.reclaim.model.Ids;
import dev.reclaim.model.Task;
import dev.reclaim.store.DeletionMark;
import dev.reclaim.store.ProcessIdentity;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim tasks ...} and {@code reclaim fsck}: happy paths, exit codes, bad input changes nothing. */
class TasksCommandsTest {
    @TempDir
    Path tmp;
    Cli cli;
    Path file;

    @BeforeEach
    void home() throws Exception {
        cli = new Cli(tmp.resolve("home"));
        file = Files.writeString(tmp.resolve("best.ckpt"), "weights");
    }

    private String create(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "tasks";
        all[1] = "create";
        System.arraycopy(args, 0, all, 2, args.length);
        Run r = cli.run(all);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.firstLine();
    }

    @Test
    void createPrintsTheIdAndListShowsTheTask() {
        String id = create("--name", "exp-1", "--project", "vision", "--status", "Completed", "--tag", "baseline");
        Run list = cli.run("tasks", "list", "--project", "vision", "--status", "completed");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).contains(id).contains("exp-1").contains("COMPLETED");
        Run json = cli.run("tasks", "list", "--fields", "name,tags", "--output", "json");
        assertThat(json.out()).contains("\"name\" : \"exp-1\"").contains("baseline").doesNotContain("\"project\"");
    }

    @Test
    void listFiltersByArchivedSystemTagAndPagesWithACursor() {
        String a = create("--name", "a");
        String b = create("--name", "b");
        String c = create("--name", "c");
        assertThat(cli.run("tasks", "archive", a, b).exitCode()).isZero();
        assertThat(cli.run("tasks", "list", "--system-tag", "archived").out()).contains(a, b).doesNotContain(c);
        assertThat(cli.run("tasks", "list", "--system-tag", "-archived").out()).contains(c).doesNotContain(a);
        Run first = cli.run("tasks", "list", "--page-size", "2");
        String cursor = first.err().lines().filter(l -> l.startsWith("more: --cursor ")).findFirst().orElseThrow()
                .substring("more: --cursor ".length());
        assertThat(cli.run("tasks", "list", "--page-size", "2", "--cursor", cursor).out()).contains(c).doesNotContain(a);
    }

    @Test
    void deleteExitsThreeWhenForceIsNeededAndZeroOnceArchived() {
        String id = create("--name", "done", "--status", "completed");
        Run refused = cli.run("tasks", "delete", id);
        assertThat(refused.exitCode()).isEqualTo(3);
        assertThat(refused.err()).contains("archive it first or pass force").contains("--force");
        cli.run("tasks", "archive", id);
        Run deleted = cli.run("tasks", "delete", id);
        assertThat(deleted.exitCode()).as(deleted.toString()).isZero();
        assertThat(cli.run("tasks", "list").out()).doesNotContain(id);
    }

    @Test
    void artifactsAddStoresTheFileAndDeleteReturnsItsUrl() {
        String id = create("--name", "a");
        Run add = cli.run("tasks", "artifacts", "add", id, "--kind", "MODEL", "--name", "best.ckpt", file.toString());
        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/models/best.ckpt");
        Run del = cli.run("tasks", "delete", id, "--return-file-urls");
        assertThat(del.out()).contains("file tasks/" + id + "/models/best.ckpt");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void aModelUsedAsInputIsKeptWhenItsTaskIsDeleted() {
        String producer = create("--name", "pretrain");
        String model = cli.run("tasks", "artifacts", "add", producer, "--kind", "model", "--name", "m.ckpt", file.toString()).firstLine();
        String consumer = create("--name", "finetune");
        assertThat(cli.run("tasks", "inputs", "add", consumer, model).exitCode()).isZero();
        Run del = cli.run("tasks", "delete", producer);
        assertThat(del.out()).contains("models kept 1");
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + producer + "/models/m.ckpt");
    }

    @Test
    void publishNeedsACompletedTaskAndThenDeleteNeedsForce() {
        String draft = create("--name", "d");
        assertThat(cli.run("tasks", "publish", draft).exitCode()).isEqualTo(1);
        String done = create("--name", "p", "--status", "completed");
        assertThat(cli.run("tasks", "publish", done).exitCode()).isZero();
        cli.run("tasks", "archive", done);
        assertThat(cli.run("tasks", "delete", done).exitCode()).isEqualTo(3);
        assertThat(cli.run("tasks", "delete", done, "--force").exitCode()).isZero();
    }

    @Test
    void unarchiveAndArchiveOfAnUnknownIdExitOne() {
        String id = create("--name", "a");
        cli.run("tasks", "archive", id);
        assertThat(cli.run("tasks", "unarchive", id).out()).contains("unarchived");
        assertThat(cli.run("tasks", "archive", "000000000000ffffffffffffffff").exitCode()).isEqualTo(1);
    }

    @Test
    void fsckIsZeroWhenConsistentOneForAnOrphanAndRepairsOnlyWhenAsked() throws Exception {
        String id = create("--name", "a");
        cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "o.csv", file.toString());
        assertThat(cli.run("fsck").exitCode()).isZero();
        // an object of one of this store's tasks without a record: what a crash leaves
        String orphan = "tasks/" + id + "/artifacts/orphan.bin";
        Files.createDirectories(cli.artifacts().resolve(orphan).getParent());
        Files.writeString(cli.artifacts().resolve(orphan), "x");
        Run found = cli.run("fsck");
        assertThat(found.exitCode()).isEqualTo(1);
        assertThat(found.out()).contains("orphan object " + orphan);
        assertThat(cli.artifactFiles()).contains(orphan);
        Run repaired = cli.run("fsck", "--repair");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/artifacts/o.csv");
    }

    @Test
    void fsckReportsAFileSomeoneDroppedIntoTheArtifactFolderAndRepairKeepsIt() throws Exception {
        String id = create("--name", "a");
        cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "o.csv", file.toString());
        Files.createDirectories(cli.artifacts().resolve("stray"));
        Files.writeString(cli.artifacts().resolve("stray/notes.txt"), "x");

        Run found = cli.run("fsck");
        Run repaired = cli.run("fsck", "--repair");

        assertThat(found.exitCode()).as(found.toString()).isZero();
        assertThat(found.out()).contains("0 orphan(s)", "1 unmanaged object(s)", "unmanaged object stray/notes.txt");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(cli.artifactFiles()).containsExactly("stray/notes.txt", "tasks/" + id + "/artifacts/o.csv");
    }

    @Test
    void fsckSaysWhoHoldsAStuckDeletionAndRepairTakesOverTheClaimsOfAProcessThatIsGone() throws Exception {
        String id = create("--name", "a");
        cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "o.csv", file.toString());
        Process purger = new ProcessBuilder("sleep", "60").start();
        ProcessIdentity gone = ProcessIdentity.of(purger.toHandle());
        purger.destroyForcibly();
        purger.waitFor();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            Instant now = Instant.now();
            Task t = store.findTask(id).orElseThrow();
            store.markForDeletion(DeletionMark.wholeTask(id, t.version()).because("test", "test", now));
            assertThat(store.claimPendingDeletes(null, 10, now, now.plus(Duration.ofMinutes(5)), gone)).hasSize(1);
        }

        Run found = cli.run("fsck");
        assertThat(found.exitCode()).isEqualTo(1);
        assertThat(found.out()).contains("stuck deletion of task " + id + ": 1 queue entry claimed by pid " + gone.pid()
                + " on host " + gone.host() + " until ").contains("it is gone, so the next cleanup or fsck --repair finishes it now");

        Run repaired = cli.run("fsck", "--repair");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(repaired.out()).contains("finished 1 stuck deletion(s): 1 object(s), 7 B freed");
        assertThat(cli.artifactFiles()).isEmpty();
    }

    @Test
    void fsckReportsAnOrphanDeletionAKilledProcessClaimedAndRepairFinishesIt() throws Exception {
        String id = create("--name", "a");
        cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "o.csv", file.toString());
        String lost = "tasks/" + Ids.next(Instant.now()) + "/artifacts/lost.bin";
        Files.createDirectories(cli.artifacts().resolve(lost).getParent());
        Files.writeString(cli.artifacts().resolve(lost), "x");
        Process purger = new ProcessBuilder("sleep", "60").start();
        ProcessIdentity gone = ProcessIdentity.of(purger.toHandle());
        purger.destroyForcibly();
        purger.waitFor();
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(cli.home().resolve("reclaim.db"))) {
            Instant now = Instant.now();
            store.enqueueOrphans(List.of(lost), now);
            assertThat(store.claimPendingDeletes(null, 10, now, now.plus(Duration.ofMinutes(5)), gone)).hasSize(1);
        }

        Run found = cli.run("fsck");
        Run repaired = cli.run("fsck", "--repair");

        assertThat(found.exitCode()).as(found.toString()).isEqualTo(1);
        assertThat(found.out()).contains("stranded delete: 1 queue entry of no task", "pid " + gone.pid(), "it is gone");
        assertThat(repaired.exitCode()).as(repaired.toString()).isZero();
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + id + "/artifacts/o.csv");
    }

    @Test
    void badQueriesAndArgumentsExitTwoWithAMessageAndChangeNothing() {
        String id = create("--name", "a", "--status", "completed");
        Map<String, String> before = cli.snapshot();
        String[][] bad = {
                {"tasks", "list", "--status", "bogus"},
                {"tasks", "list", "--archived-at", "<<2026-01-01T00:00:00Z"},
                {"tasks", "list", "--status-changed", "<yesterday"},
                {"tasks", "list", "--fields", "id,colour"},
                {"tasks", "list", "--order-by", "tags"},
                {"tasks", "list", "--page-size", "501"},
                {"tasks", "list", "--page", "-1"},
                {"tasks", "list", "--name", "(unclosed"},
                {"tasks", "list", "--cursor", "not-a-cursor"},
                {"tasks", "create"},
                {"tasks", "create", "--name", "x", "--status", "running"},
                {"tasks", "artifacts", "add", id, "--kind", "weights", "--name", "m", file.toString()},
                {"tasks", "artifacts", "add", id, "--kind", "model", "--name", "../escape", file.toString()},
                {"tasks", "artifacts", "add", id, "--kind", "model", "--name", "m", tmp.resolve("missing").toString()},
                {"tasks", "delete", "--bogus-flag", id},
        };
        for (String[] args : bad) {
            Run r = cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + " -> " + r).isEqualTo(2);
            assertThat(r.err()).as(String.join(" ", args)).isNotBlank().doesNotContain("\tat ");
            assertThat(cli.snapshot()).as(String.join(" ", args)).isEqualTo(before);
        }
    }
}
