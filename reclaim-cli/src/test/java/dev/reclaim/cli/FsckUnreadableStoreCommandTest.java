package dev.reclaim.cli;

import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A folder of the artifact root that cannot be read is no proof that its objects are gone: fsck
 * lists their records as unchecked, exits 1, and {@code --repair} keeps them, while a record whose
 * object really is gone is still repaired. fsck runs in a child process for which the folder is
 * unreadable: as any user, chmod 000 suffices; as root, which reads anything, the child runs
 * without the capabilities that bypass permissions ({@code setpriv}), and the test is skipped only
 * where that cannot be done.
 */
class FsckUnreadableStoreCommandTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));
    private static final List<String> WITHOUT_PERMISSION_BYPASS = List.of("setpriv",
            "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search", "--");

    @TempDir
    Path tmp;

    @Test
    void anUnreadableFolderMakesItsRecordsUncheckedAndARepairKeepsThem() throws Exception {
        Assumptions.assumeTrue(!ROOT || setprivWorks(), "tests run as root, where chmod does not stop reads, and the "
                + "capabilities that bypass it cannot be dropped here (setpriv)");
        Cli cli = new Cli(tmp.resolve("home"));
        Path file = Files.writeString(tmp.resolve("o.csv"), "a,b\n");
        String locked = create(cli, "locked");
        String gone = create(cli, "gone");
        for (String id : List.of(locked, gone)) {
            Run added = cli.run("tasks", "artifacts", "add", id, "--kind", "artifact", "--name", "o.csv", file.toString());
            assertThat(added.exitCode()).as(added.toString()).isZero();
        }
        Files.delete(cli.artifacts().resolve("tasks/" + gone + "/artifacts/o.csv"));
        Path lockedFolder = cli.artifacts().resolve("tasks/" + locked);
        Files.setPosixFilePermissions(lockedFolder, PosixFilePermissions.fromString("---------"));
        Run found;
        Run repaired;
        try {
            found = childFsck(cli);
            repaired = childFsck(cli, "--repair");
        } finally {
            Files.setPosixFilePermissions(lockedFolder, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        assertThat(found.exitCode()).as(found.toString()).isEqualTo(1);
        assertThat(found.out()).contains("1 dangling record(s)", "1 live record(s) could not be checked",
                "unchecked record ", "tasks/" + locked + "/artifacts/o.csv): ", "permission denied",
                "artifact store problem: could not list every object");
        assertThat(repaired.exitCode()).as(repaired.toString()).isEqualTo(1);
        assertThat(repaired.out()).contains("after repair: ", "unchecked record ");
        Run after = cli.run("fsck");
        assertThat(after.exitCode()).as(after.toString()).isZero();
        assertThat(after.out()).contains("1 live record(s) checked", "0 dangling record(s)");
        assertThat(cli.artifactFiles()).containsExactly("tasks/" + locked + "/artifacts/o.csv");
    }

    private static String create(Cli cli, String name) {
        Run r = cli.run("tasks", "create", "--name", name);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        return r.out().trim();
    }

    /** Runs {@code reclaim fsck} in a child JVM for which permission bits hold, root or not. */
    private Run childFsck(Cli cli, String... more) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(ROOT ? WITHOUT_PERMISSION_BYPASS : List.of());
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "--home", cli.home().toString(), "fsck"));
        command.addAll(List.of(more));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(k -> k.startsWith("RECLAIM_"));
        Path out = Files.createTempFile(tmp, "out", ".txt");
        Path err = Files.createTempFile(tmp, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("reclaim fsck did not end");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** True when a child started without the capabilities that bypass permissions is refused a chmod 000 folder. */
    private boolean setprivWorks() throws IOException, InterruptedException {
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        Files.writeString(probe.resolve("f"), "x");
        Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("---------"));
        try {
            List<String> command = new ArrayList<>(WITHOUT_PERMISSION_BYPASS);
            command.addAll(List.of("cat", probe.resolve("f").toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() != 0;
        } catch (IOException e) {
            return false;
        } finally {
            Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
