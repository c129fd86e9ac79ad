package dev.reclaim.cli;

import dev.reclaim.cleanup.ServiceTask;
import dev.reclaim.cli.Cli.Run;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A home the user can read but not write: the commands that only read work and show what a
 * writable home shows; a command that writes fails at once with a clear message and changes
 * nothing.
 *
 * <p>The home is made read-only for real. As an ordinary user, by taking write permission away
 * (chmod). As root, chmod stops nothing, so the CLI runs in a child process with a private mount
 * namespace in which the home is bind-mounted read-only ({@code unshare -m}); where that is not
 * possible either, the test is skipped, saying why.
 */
class ReadOnlyHomeTest {
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    @TempDir
    Path tmp;
    Cli cli;
    String task;
    String job;

    @BeforeEach
    void aHomeWithATaskAJobAndACleanupRun() {
        cli = new Cli(tmp.resolve("home"));
        task = cli.run("tasks", "create", "--name", "exp-1", "--project", "vision").firstLine();
        job = cli.submitFinished("echo hello from the job");
        assertThat(cli.run("cleanup", "--dry-run").exitCode()).isZero();
        assertThat(cli.run("tokens", "create", "--name", "ci", "--role", "viewer").exitCode()).isZero();
        if (ROOT) {
            Assumptions.assumeTrue(unshareWorks(), "tests run as root, where chmod does not stop writes, and no private mount "
                    + "namespace is available here (unshare -m) to mount the home read-only");
        } else {
            setWritable(cli.home(), false);
        }
    }

    @AfterEach
    void writableAgainForCleanup() {
        if (!ROOT) {
            setWritable(cli.home(), true);
        }
    }

    @Test
    void readOnlyCommandsWorkAndShowWhatAWritableHomeShows() {
        Map<String, String> before = cli.snapshot();

        Run tasks = readOnly("tasks", "list");
        assertThat(tasks.exitCode()).as(tasks.toString()).isZero();
        assertThat(tasks.out()).contains(task).contains("exp-1").contains(ServiceTask.ID);

        Run list = readOnly("jobs", "list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains(job).contains("FINISHED");

        Run status = readOnly("jobs", "status", job);
        assertThat(status.trimmedOut()).as(status.toString()).isEqualTo("FINISHED");

        Run output = readOnly("jobs", "output", job);
        assertThat(output.out()).as(output.toString()).contains("hello from the job");

        Run history = readOnly("cleanup", "history");
        assertThat(history.exitCode()).as(history.toString()).isZero();
        assertThat(history.out()).contains("dry-run");

        Run fsck = readOnly("fsck");
        assertThat(fsck.exitCode()).as(fsck.toString()).isZero();
        assertThat(fsck.out()).contains("0 orphan(s)");

        Run params = readOnly("tasks", "params", "show", ServiceTask.ID);
        assertThat(params.out()).as(params.toString()).contains("delete_threshold_days=30");

        Run show = readOnly("tasks", "show", job);
        assertThat(show.out()).as(show.toString()).contains("COMPLETED").contains("LOG");

        Run artifacts = readOnly("tasks", "artifacts", "list", job);
        assertThat(artifacts.out()).as(artifacts.toString()).contains("console.log");

        Run tokens = readOnly("tokens", "list");
        assertThat(tokens.out()).as(tokens.toString()).contains("ci");

        assertThat(cli.snapshot()).isEqualTo(before);
    }

    @Test
    void aCommandThatWritesFailsAtOnceSayingTheHomeIsReadOnlyAndChangesNothing() {
        Map<String, String> before = cli.snapshot();
        for (String[] write : List.of(new String[]{"tasks", "create", "--name", "exp-2"},
                new String[]{"tasks", "archive", task}, new String[]{"fsck", "--repair"},
                new String[]{"jobs", "cleanup", job, "--force"}, new String[]{"cleanup", "--dry-run"})) {
            Run r = readOnly(write);
            assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).as(r.toString()).contains("read-only").contains(cli.home().toString())
                    .contains("only read").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(cli.snapshot()).isEqualTo(before);
    }

    /** Runs the CLI on the home while it is read-only for that process. */
    private Run readOnly(String... args) {
        if (!ROOT) {
            return cli.run(args);
        }
        try {
            List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "--home", cli.home().toString()));
            java.addAll(List.of(args));
            String home = quote(cli.home().toString());
            StringBuilder command = new StringBuilder("mount --bind " + home + " " + home + " && mount -o remount,bind,ro "
                    + home + " && exec");
            for (String a : java) {
                command.append(' ').append(quote(a));
            }
            ProcessBuilder pb = new ProcessBuilder("unshare", "-m", "sh", "-c", command.toString());
            pb.environment().keySet().removeIf(k -> k.startsWith("RECLAIM_"));
            Path out = Files.createTempFile(tmp, "out", ".txt");
            Path err = Files.createTempFile(tmp, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("reclaim " + String.join(" ", args) + " did not end");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void setWritable(Path root, boolean writable) {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (writable) {
                    perms.add(PosixFilePermission.OWNER_WRITE);
                } else {
                    perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
                            PosixFilePermission.OTHERS_WRITE));
                }
                Files.setPosixFilePermissions(p, perms);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
