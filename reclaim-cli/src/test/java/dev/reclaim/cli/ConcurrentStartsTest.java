package dev.reclaim.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several CLI processes starting at once print nothing on stderr. sqlite-jdbc extracts its native
 * library into a temporary folder and, at start, deletes other processes' libraries there whose
 * lock file is gone, logging a stack trace when that fails; in a shared folder another process
 * may be deleting the same file as it exits. Each process must use a folder of its own.
 */
class ConcurrentStartsTest {
    private static final int STARTS = 6;

    @TempDir
    Path tmp;

    @Test
    void processesStartingAtOncePrintNothingOnStderrAndLeaveTheSharedTempFolderAsTheyFoundIt() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("tmpdir"));
        // What a driver in another JVM leaves for a moment as it exits: its library, its lock file
        // already gone. A folder, so deleting it fails every time instead of in a rare race.
        Path exiting = Files.createDirectories(shared.resolve("sqlite-" + SQLiteJDBCLoader.getVersion()
                + "-00000000-0000-0000-0000-000000000000-libsqlitejdbc.so"));
        Files.writeString(exiting.resolve("in-use"), "x");

        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < STARTS; i++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            processes.add(new ProcessBuilder(java, "-Djava.io.tmpdir=" + shared, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--home", tmp.resolve("home-" + i).toString(), "tasks", "list")
                    .redirectOutput(tmp.resolve("out-" + i).toFile()).redirectError(tmp.resolve("err-" + i).toFile()).start());
        }
        for (int i = 0; i < STARTS; i++) {
            assertThat(processes.get(i).waitFor(120, TimeUnit.SECONDS)).as("process %d ended", i).isTrue();
            assertThat(Files.readString(tmp.resolve("err-" + i))).as("stderr of process %d", i).isEmpty();
            assertThat(processes.get(i).exitValue()).isZero();
        }
        assertThat(exiting.resolve("in-use")).as("another process's file is left alone").exists();
        try (Stream<Path> left = Files.list(shared)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("each process removed its own folder")
                    .containsExactly(exiting.getFileName().toString());
        }
    }

    @Test
    void aStartRemovesTheFolderOfAKilledProcessButNotOneInUse() throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("tmpdir"));
        Path abandoned = privateFolder(shared, "reclaim-sqlite-killed");
        Path inUse = privateFolder(shared, "reclaim-sqlite-alive");
        try (FileChannel channel = FileChannel.open(inUse.resolve(".lock"), StandardOpenOption.WRITE);
             FileLock alive = channel.lock()) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(java, "-Djava.io.tmpdir=" + shared, "-cp", System.getProperty("java.class.path"),
                    Main.class.getName(), "--home", tmp.resolve("home").toString(), "tasks", "list")
                    .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile()).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(Files.readString(tmp.resolve("err"))).isZero();
        }
        assertThat(abandoned).doesNotExist();
        assertThat(inUse.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-x-libsqlitejdbc.so")).exists();
    }

    /** A folder as a process leaves it: lock file, ready marker, its extracted library. */
    private static Path privateFolder(Path shared, String name) throws Exception {
        Path folder = Files.createDirectories(shared.resolve(name));
        Files.createFile(folder.resolve(".lock"));
        Files.createFile(folder.resolve(".ready"));
        Files.writeString(folder.resolve("sqlite-" + SQLiteJDBCLoader.getVersion() + "-x-libsqlitejdbc.so"), "library");
        return folder;
    }
}
