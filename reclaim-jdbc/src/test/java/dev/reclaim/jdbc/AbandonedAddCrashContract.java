package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.TaskStore;
import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child JVM attaching a large file ({@code tasks artifacts add}) is stopped in the middle of the
 * write, checked to be mid-write (its PENDING record registered; on a filesystem store, its temp
 * file being written), and killed with SIGKILL. What it left is left alone while the grace period
 * runs (the write might still be going), is reported by fsck once it has passed, and is removed,
 * counting only objects that existed, by {@code fsck --repair}, by a Cleanup Service run, or (its
 * object) by deleting the task; afterwards nothing of it is left and every stored artifact is
 * intact, checksums verified.
 */
abstract class AbandonedAddCrashContract {
    /** How the leftovers of the killed add are removed. */
    enum Recovery { FSCK_REPAIR, CLEANUP_SERVICE, TASK_DELETE }

    /** Opens (creating it if needed) the task store of {@code home}. */
    protected abstract TaskStore openTaskStore(Path home);

    /** Arguments that tell {@link AddChild} how to open the home's task store. */
    protected abstract List<String> childStoreArgs(Path home);

    /** Gives {@code home} stores of its own before the test uses it; by default both live in the home's files. */
    protected void prepareHome(Path home) throws Exception {
    }

    /** Frees what {@link #prepareHome} made. */
    protected void discardHome(Path home) throws Exception {
    }

    /** The artifact store of {@code home}; by default the filesystem one in its {@code artifacts} folder. */
    protected ArtifactStore openArtifactStore(Path home) {
        return FileArtifactStore.open(home.resolve("artifacts"));
    }

    /** Arguments that tell {@link AddChild} how to open the home's artifact store; none for the default. */
    protected List<String> childArtifactArgs(Path home) {
        return List.of();
    }

    /** Environment added to the child's (credentials it must not get as arguments). */
    protected Map<String, String> childEnvironment() {
        return Map.of();
    }

    /** Whether the artifact store writes temp files under the home's {@code artifacts} folder. */
    protected boolean writesTempFiles() {
        return true;
    }

    /** Bytes of the file the child attaches: large enough that a write takes a while. */
    protected int fileSize() {
        return 32 << 20;
    }

    private Reclaim open(Path home, Clock clock) {
        return Reclaim.builder().taskStore(openTaskStore(home)).artifactStore(openArtifactStore(home))
                .stagingRoot(home.resolve("staging")).clock(clock).build();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Recovery.class)
    void anAddKilledMidWriteLeavesNothingOnceTheGracePeriodHasPassed(Recovery recovery, @TempDir Path home) throws Exception {
        prepareHome(home);
        try {
            run(recovery, home);
        } finally {
            discardHome(home);
        }
    }

    private void run(Recovery recovery, Path home) throws Exception {
        byte[] content = new byte[fileSize()];
        new Random(recovery.ordinal()).nextBytes(content);
        Path source = Files.write(home.resolve("source.bin"), content);
        String taskId;
        Artifact kept;
        try (Reclaim r = open(home, Clock.systemUTC())) {
            taskId = r.tasks().create(NewTask.draft("big")).id();
            kept = r.tasks().addArtifact(taskId, ArtifactKind.MODEL, "kept.ckpt", Files.writeString(home.resolve("kept"), "kept"));
        }

        killMidWrite(home, taskId, source);

        Artifact killed;
        boolean objectStored;
        try (Reclaim r = open(home, Clock.systemUTC())) {
            List<Artifact> pending = r.taskStore().pendingArtifactsBefore(r.clock().instant().plusSeconds(1), 10);
            assertThat(pending).as("the killed add's PENDING record").hasSize(1);
            killed = pending.get(0);
            objectStored = r.artifactStore().stat(killed.storageKey()).isPresent();
            // within the grace period the write might still be running: repair and cleanup leave it alone
            FsckReport now = r.fsck().repair();
            assertThat(now.writes().abandonedUploadCount()).isZero();
            r.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);
            assertThat(r.taskStore().findArtifact(killed.id())).hasValueSatisfying(a ->
                    assertThat(a.state()).isEqualTo(ArtifactState.PENDING));
            if (writesTempFiles()) {
                assertThat(tempFiles(home)).as("temp files of the killed add").isNotEmpty();
            }
        }

        Clock later = Clock.offset(Clock.systemUTC(), Reclaim.DEFAULT_ABANDONED_WRITE_GRACE.plusMinutes(1));
        try (Reclaim r = open(home, later)) {
            FsckReport found = r.fsck().check();
            assertThat(found.consistent()).isFalse();
            assertThat(found.writes().abandonedUploadCount()).isEqualTo(1);
            assertThat(found.writes().abandonedUploads()).singleElement().asString().contains(killed.id());
            if (writesTempFiles()) {
                assertThat(found.writes().interruptedWriteCount()).isPositive();
            }
            List<Artifact> liveBefore = r.taskStore().artifactsOf(taskId).stream()
                    .filter(a -> a.state() == ArtifactState.LIVE).toList();

            switch (recovery) {
                case FSCK_REPAIR -> {
                    assertThat(r.fsck().repair().consistent()).isTrue();
                    assertRemovalAudited(r, objectStored, killed);
                }
                case CLEANUP_SERVICE -> {
                    r.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);
                    assertRemovalAudited(r, objectStored, killed);
                }
                case TASK_DELETE -> {
                    DeleteResult d = r.tasks().delete(taskId, DeleteOptions.DEFAULTS);
                    assertThat(d.deleted()).isTrue();
                    assertThat(d.objects()).as("objects that existed").isEqualTo(liveBefore.size() + (objectStored ? 1 : 0));
                    assertThat(d.bytes()).isEqualTo(liveBefore.stream().mapToLong(Artifact::sizeBytes).sum()
                            + (objectStored ? killed.sizeBytes() : 0));
                    assertThat(r.artifactStore().stat(killed.storageKey())).isEmpty();
                    // the temp files belong to no record: they go with the next repair (or cleanup run)
                    assertThat(r.fsck().repair().consistent()).isTrue();
                }
                default -> throw new IllegalStateException();
            }

            assertThat(r.taskStore().pendingArtifactsBefore(later.instant().plusSeconds(1), 10)).isEmpty();
            if (writesTempFiles()) {
                assertThat(tempFiles(home)).isEmpty();
            }
            FsckReport after = r.fsck().verifyingChecksums().check();
            assertThat(after.consistent()).as("fsck after recovery: %s", after).isTrue();
            if (recovery != Recovery.TASK_DELETE) {
                assertThat(after.writes().checksumsChecked()).isEqualTo(liveBefore.size());
                assertThat(r.taskStore().artifactsOf(taskId)).containsExactlyElementsOf(liveBefore);
                assertThat(liveBefore).contains(kept);
            }
        }
    }

    /** The leftovers' removal is one audited deletion of the killed add's record, counting its object only if it existed. */
    private static void assertRemovalAudited(Reclaim r, boolean objectStored, Artifact killed) {
        Optional<AuditRecord> removal = r.taskStore().audit(10).stream()
                .filter(a -> a.reason() != null && a.reason().startsWith("abandoned upload")).findFirst();
        assertThat(removal).hasValueSatisfying(a -> {
            assertThat(a.action()).isEqualTo("delete-artifacts");
            assertThat(a.objects()).isEqualTo(objectStored ? 1 : 0);
            assertThat(a.bytes()).isEqualTo(objectStored ? killed.sizeBytes() : 0);
        });
        assertThat(r.taskStore().findArtifact(killed.id())).isEmpty();
        assertThat(r.artifactStore().stat(killed.storageKey())).isEmpty();
    }

    /**
     * Starts the child and kills it (SIGKILL) in the middle of a write: when it looks mid-write it is
     * stopped (SIGSTOP), checked again while it cannot move on, and killed, or let go on if the write
     * had just ended.
     */
    private void killMidWrite(Path home, String taskId, Path source) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), AddChild.class.getName(), home.toString(), taskId,
                source.toString(), "5"));
        command.addAll(childStoreArgs(home));
        command.addAll(childArtifactArgs(home));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(childEnvironment());
        Process child = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the child was killed
            }
        });
        reader.start();
        try (TaskStore watch = openTaskStore(home)) {
            boolean[] caught = {false};
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(1)).pollInSameThread().until(() -> {
                if (!child.isAlive()) {
                    return true;
                }
                if (!looksMidWrite(home, watch, taskId)) {
                    return false;
                }
                signal(child, "STOP");
                if (looksMidWrite(home, watch, taskId)) {
                    child.destroyForcibly(); // SIGKILL, which a stopped process gets too
                    caught[0] = true;
                    return true;
                }
                signal(child, "CONT");
                return false;
            });
            child.waitFor(1, TimeUnit.MINUTES);
            reader.join(TimeUnit.MINUTES.toMillis(1));
            synchronized (output) {
                assertThat(caught[0]).as("the child was killed mid-write; its output:%n%s", output).isTrue();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    /** A PENDING record of the task exists, and on a filesystem store a temp file too. */
    private boolean looksMidWrite(Path home, TaskStore watch, String taskId) throws IOException {
        try {
            if (writesTempFiles() && tempFiles(home).isEmpty()) {
                return false;
            }
        } catch (UncheckedIOException e) {
            return false; // a file vanished while the folder was walked: a write is moving on, look again
        }
        return watch.artifactsOf(taskId).stream().anyMatch(a -> a.state() == ArtifactState.PENDING);
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).redirectErrorStream(true).start();
        try (OutputStream ignored = kill.getOutputStream()) {
            kill.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<Path> tempFiles(Path home) throws IOException {
        Path root = home.resolve("artifacts");
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".reclaim-tmp")).toList();
        }
    }
}
