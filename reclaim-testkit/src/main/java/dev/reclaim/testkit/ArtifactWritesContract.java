package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.Reclaim;
import dev.reclaim.RefusedException;
import dev.reclaim.cleanup.CleanupListener;
import dev.reclaim.cleanup.CleanupSettings;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.jobs.CommandJob;
import dev.reclaim.jobs.ComputeContext;
import dev.reclaim.jobs.JobHandle;
import dev.reclaim.model.Artifact;
import dev.reclaim.model.ArtifactKind;
import dev.reclaim.model.ArtifactState;
import dev.reclaim.model.Ids;
import dev.reclaim.model.JobStatus;
import dev.reclaim.model.Sha256;
import dev.reclaim.model.StoredObject;
import dev.reclaim.model.Task;
import dev.reclaim.model.TaskStatus;
import dev.reclaim.store.ArtifactCatalog;
import dev.reclaim.store.ArtifactKeys;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.AuditRecord;
import dev.reclaim.store.CleanupRun;
import dev.reclaim.tasks.AddedArtifact;
import dev.reclaim.tasks.DeleteOptions;
import dev.reclaim.tasks.DeleteResult;
import dev.reclaim.tasks.NewTask;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Writes never replace stored bytes (docs/rules.md invariant 6), and writes that die leave nothing
 * behind for long (invariant 3): adding an artifact under a name the task has, {@code --replace},
 * job outputs, fsck's size and checksum checks, and the leftovers of abandoned uploads (PENDING
 * records, temp files) after the grace period, with reports that count only objects that existed.
 * Run against every pair of backends.
 */
public abstract class ArtifactWritesContract extends ReclaimContract {
    /** Past the default grace period, so leftovers made now count as abandoned. */
    protected static final Duration PAST_GRACE = Reclaim.DEFAULT_ABANDONED_WRITE_GRACE.plusMinutes(1);

    /**
     * The folder of a filesystem artifact store, where a test can leave a temp file as a killed put
     * does; null for a store without one (S3), whose tests of temp files are then skipped.
     */
    protected abstract Path artifactFolder();

    // ---- helpers ------------------------------------------------------------------------------

    private Task draft(String name) {
        return reclaim.tasks().create(NewTask.draft(name));
    }

    private Path file(String content) {
        try {
            return Files.writeString(Files.createTempFile(tmp, "src", ".bin"), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Artifact add(Task t, ArtifactKind kind, String name, String content) {
        return reclaim.tasks().addArtifact(t.id(), kind, name, file(content));
    }

    private String read(String key) {
        try (InputStream in = artifacts.open(key)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Artifact> live(Task t) {
        return tasks.artifactsOf(t.id()).stream().filter(a -> a.state() == ArtifactState.LIVE).toList();
    }

    /** What a killed add leaves: a PENDING record, registered now, and (if given) the bytes its put stored. */
    private Artifact abandonedUpload(Task t, String name, String storedContent, long recordedSize) {
        String id = Ids.next(clock.instant());
        Artifact pending = new Artifact(id, t.id(), ArtifactKind.MODEL, name, ArtifactKeys.of(t.id(), ArtifactKind.MODEL, name),
                recordedSize, clock.instant(), false, ArtifactState.PENDING);
        tasks.insertArtifacts(List.of(pending));
        if (storedContent != null) {
            artifacts.putBytes(pending.storageKey(), storedContent.getBytes(StandardCharsets.UTF_8));
        }
        return pending;
    }

    /** What a put killed before its link leaves in a filesystem store: a temp file, last written at {@code when}. */
    private Path tempFile(String folder, int bytes, Instant when) throws IOException {
        Path dir = Files.createDirectories(artifactFolder().resolve(folder));
        Path temp = Files.write(dir.resolve(".reclaim-tmp\\" + String.format("%016x", System.nanoTime())), new byte[bytes]);
        Files.setLastModifiedTime(temp, FileTime.from(when));
        return temp;
    }

    private List<Path> tempFiles() throws IOException {
        try (Stream<Path> walk = Files.walk(artifactFolder())) {
            return walk.filter(p -> p.getFileName().toString().startsWith(".reclaim-tmp")).toList();
        }
    }

    // ---- a name the task already has -----------------------------------------------------------

    @Test
    void addingANameTheTaskAlreadyHasIsRefusedAndTheStoredBytesStay() {
        Task t = draft("a");
        Artifact first = add(t, ArtifactKind.MODEL, "best.ckpt", "first weights");

        assertThatThrownBy(() -> add(t, ArtifactKind.MODEL, "best.ckpt", "other weights"))
                .isInstanceOf(RefusedException.class)
                .hasMessageContaining("best.ckpt").hasMessageContaining(first.id()).hasMessageContaining("--replace");

        assertThat(read(first.storageKey())).isEqualTo("first weights");
        assertThat(live(t)).containsExactly(first);
        assertThat(tasks.artifactsOf(t.id())).hasSize(1);
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void theSameNameUnderAnotherKindIsAnotherArtifact() {
        Task t = draft("a");
        Artifact model = add(t, ArtifactKind.MODEL, "out.bin", "model");
        Artifact other = add(t, ArtifactKind.ARTIFACT, "out.bin", "artifact");

        assertThat(other.storageKey()).isNotEqualTo(model.storageKey());
        assertThat(read(model.storageKey())).isEqualTo("model");
        assertThat(read(other.storageKey())).isEqualTo("artifact");
    }

    @Test
    void aPublishedModelAndAModelInUseKeepTheirBytesWhenTheirNameIsAddedAgain() {
        Task producer = reclaim.tasks().create(new NewTask("p", null, null, TaskStatus.COMPLETED, Set.of(), null, Map.of()));
        Artifact published = add(producer, ArtifactKind.MODEL, "published.ckpt", "published weights");
        reclaim.tasks().publish(producer.id());
        Task other = draft("other");
        Artifact used = add(other, ArtifactKind.MODEL, "used.ckpt", "used weights");
        reclaim.tasks().addInputModel(draft("consumer").id(), used.id());

        assertThatThrownBy(() -> add(producer, ArtifactKind.MODEL, "published.ckpt", "x")).isInstanceOf(RefusedException.class);
        assertThatThrownBy(() -> add(other, ArtifactKind.MODEL, "used.ckpt", "x")).isInstanceOf(RefusedException.class);

        assertThat(read(published.storageKey())).isEqualTo("published weights");
        assertThat(read(used.storageKey())).isEqualTo("used weights");
    }

    @Test
    void anAddNeverWritesOverAnObjectThatHasNoRecord() {
        Task t = draft("a");
        String usual = ArtifactKeys.of(t.id(), ArtifactKind.ARTIFACT, "data.csv");
        artifacts.putBytes(usual, "not Reclaim's record".getBytes(StandardCharsets.UTF_8));

        Artifact a = add(t, ArtifactKind.ARTIFACT, "data.csv", "new data");

        assertThat(a.storageKey()).isNotEqualTo(usual).startsWith("tasks/" + t.id() + "/");
        assertThat(read(a.storageKey())).isEqualTo("new data");
        assertThat(read(usual)).isEqualTo("not Reclaim's record");
    }

    @Test
    void anAddRecordsTheSizeAndSha256OfWhatWasStored() {
        Task t = draft("a");
        Artifact a = add(t, ArtifactKind.ARTIFACT, "o.csv", "some content");

        assertThat(a.sizeBytes()).isEqualTo("some content".length());
        assertThat(a.sha256()).isEqualTo(Sha256.of("some content".getBytes(StandardCharsets.UTF_8)));
        assertThat(a.storageKey()).isEqualTo(ArtifactKeys.of(t.id(), ArtifactKind.ARTIFACT, "o.csv"));
    }

    @Test
    void concurrentAddsOfOneNameNeverShareAKeyOrReplaceEachOthersBytes() throws Exception {
        Task t = draft("a");
        int adders = 4;
        ExecutorService pool = Executors.newFixedThreadPool(adders);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Artifact>> adds = new ArrayList<>();
            for (int i = 0; i < adders; i++) {
                Path f = file("content " + i);
                adds.add(pool.submit(() -> {
                    start.await();
                    try {
                        return reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "same.ckpt", f);
                    } catch (RefusedException e) {
                        return null; // the name was taken by the time it looked: fine
                    }
                }));
            }
            start.countDown();
            List<Artifact> added = new ArrayList<>();
            for (var add : adds) {
                Artifact a = add.get(1, TimeUnit.MINUTES);
                if (a != null) {
                    added.add(a);
                }
            }
            assertThat(added).as("one add keeps the name, the others are refused").hasSize(1);
            for (Artifact a : added) {
                assertThat(Sha256.of(read(a.storageKey()).getBytes(StandardCharsets.UTF_8))).isEqualTo(a.sha256());
            }
            assertThat(live(t)).containsExactlyInAnyOrderElementsOf(added);
            assertThat(reclaim.fsck().verifyingChecksums().check().consistent()).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofTwoAddsOfOneNameThatBothLookedBeforeEitherWasKeptOnlyOneIsKeptAndTheOtherLeavesNothing() throws Exception {
        Task t = draft("a");
        for (boolean replace : List.of(false, true)) {
            // both adds store their bytes only once both have looked at the name and found it free (or replaceable)
            CyclicBarrier bothLooked = new CyclicBarrier(2);
            ArtifactStore meeting = (ArtifactStore) Proxy.newProxyInstance(ArtifactStore.class.getClassLoader(),
                    new Class<?>[]{ArtifactStore.class}, (proxy, method, args) -> {
                        if (method.getName().equals("putFileWithDigest")) {
                            bothLooked.await(1, TimeUnit.MINUTES);
                        }
                        try {
                            return method.invoke(artifacts, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            Reclaim racing = Reclaim.builder().taskStore(tasks).artifactStore(meeting).clock(clock)
                    .stagingRoot(tmp.resolve("staging")).build(); // shares the fixture's stores: not closed here
            List<String> outcomes = new CopyOnWriteArrayList<>();
            Concurrently.run(List.of(
                    () -> outcomes.add(addOrRefusal(racing, t, "first " + replace, replace)),
                    () -> outcomes.add(addOrRefusal(racing, t, "second " + replace, replace))));

            assertThat(outcomes).filteredOn(o -> o.startsWith("kept")).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o.startsWith("refused"))
                    .singleElement().asString().contains("another add took the name");
            List<Artifact> kept = live(t);
            assertThat(kept).hasSize(1);
            assertThat(outcomes).contains("kept " + read(kept.get(0).storageKey()));
            FsckReport fsck = reclaim.fsck().verifyingChecksums().check();
            assertThat(fsck.consistent()).as(fsck.toString()).isTrue();
            assertThat(tasks.pendingArtifactsBefore(clock.instant().plus(PAST_GRACE), 10)).as("the loser's record").isEmpty();
        }
    }

    private String addOrRefusal(Reclaim r, Task t, String content, boolean replace) {
        try {
            r.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "same.ckpt", file(content), replace);
            return "kept " + content;
        } catch (RefusedException e) {
            return "refused: " + e.getMessage();
        }
    }

    // ---- --replace ----------------------------------------------------------------------------

    @Test
    void replaceStoresTheNewBytesUnderANewKeyAndDeletesTheOldArtifactThroughTheDeletionEngine() {
        Task t = draft("a");
        Artifact old = add(t, ArtifactKind.MODEL, "best.ckpt", "old weights");

        AddedArtifact added = reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best.ckpt", file("new weights!"), true);

        Artifact now = added.artifact();
        assertThat(added.superseded()).containsExactly(old);
        assertThat(now.storageKey()).isNotEqualTo(old.storageKey());
        assertThat(read(now.storageKey())).isEqualTo("new weights!");
        assertThat(now.sha256()).isEqualTo(Sha256.of("new weights!".getBytes(StandardCharsets.UTF_8)));
        assertThat(artifacts.stat(old.storageKey())).isEmpty();
        assertThat(tasks.findArtifact(old.id())).isEmpty();
        assertThat(live(t)).containsExactly(now);
        assertThat(tasks.audit(1)).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("delete-artifacts");
            assertThat(r.taskId()).isEqualTo(t.id());
            assertThat(r.reason()).contains("superseded by artifact " + now.id());
            assertThat(r.objects()).isEqualTo(1);
            assertThat(r.bytes()).isEqualTo("old weights".length());
        });
        assertThat(reclaim.fsck().check().consistent()).isTrue();

        // and again: never onto the key of the artifact it replaces (the first key is free again by now)
        Artifact third = reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best.ckpt", file("third"), true).artifact();
        assertThat(third.storageKey()).isNotEqualTo(now.storageKey());
        assertThat(read(third.storageKey())).isEqualTo("third");
        assertThat(artifacts.stat(now.storageKey())).isEmpty();
        assertThat(live(t)).containsExactly(third);
        assertThat(read(third.storageKey())).isEqualTo("third");
    }

    @Test
    void replaceRefusesAPublishedModelAndChangesNothing() {
        Task t = reclaim.tasks().create(new NewTask("p", null, null, TaskStatus.COMPLETED, Set.of(), null, Map.of()));
        Artifact model = add(t, ArtifactKind.MODEL, "best.ckpt", "published weights");
        reclaim.tasks().publish(t.id());
        Path replacement = file("new");

        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best.ckpt", replacement, true))
                .isInstanceOf(RefusedException.class).hasMessageContaining("published").hasMessageContaining("another name");

        assertThat(tasks.artifactsOf(t.id())).extracting(Artifact::id).containsExactly(model.id());
        assertThat(read(model.storageKey())).isEqualTo("published weights");
    }

    @Test
    void replaceRefusesAModelAnotherLiveTaskUsesAndChangesNothing() {
        Task t = draft("a");
        Artifact model = add(t, ArtifactKind.MODEL, "best.ckpt", "used weights");
        Task consumer = draft("consumer");
        reclaim.tasks().addInputModel(consumer.id(), model.id());

        assertThatThrownBy(() -> reclaim.tasks().addArtifact(t.id(), ArtifactKind.MODEL, "best.ckpt", file("new"), true))
                .isInstanceOf(RefusedException.class).hasMessageContaining(consumer.id());

        assertThat(tasks.artifactsOf(t.id())).extracting(Artifact::id).containsExactly(model.id());
        assertThat(read(model.storageKey())).isEqualTo("used weights");
    }

    @Test
    void replaceWithNothingToReplaceIsAPlainAdd() {
        Task t = draft("a");
        AddedArtifact added = reclaim.tasks().addArtifact(t.id(), ArtifactKind.LOG, "run.log", file("log"), true);

        assertThat(added.superseded()).isEmpty();
        assertThat(added.artifact().storageKey()).isEqualTo(ArtifactKeys.of(t.id(), ArtifactKind.LOG, "run.log"));
        assertThat(live(t)).containsExactly(added.artifact());
    }

    // ---- job outputs --------------------------------------------------------------------------

    @Test
    void aJobOutputWhoseNameTheTaskAlreadyHasGoesUnderAKeyOfItsOwn() throws Exception {
        JobHandle h = reclaim.jobs().submit(CommandJob.of("sh", "-c", "mkdir -p \"$RECLAIM_OUTPUT/models\"; "
                + "printf 'from the job' > \"$RECLAIM_OUTPUT/models/epoch.ckpt\""), ComputeContext.local().withWait(false)
                .withQueue("later").withAutoCleanup(false));
        Task job = reclaim.tasks().get(h.id());
        // an upload of that name that never finished (an add while the task was a draft, killed)
        Artifact earlier = abandonedUpload(job, "epoch.ckpt", "half an upload", 100);

        reclaim.startWorkers(reclaim.workerSettings().withQueues(Set.of("later")));
        assertThat(reclaim.jobs().waitFor(h.id())).isEqualTo(JobStatus.FINISHED);

        assertThat(read(earlier.storageKey())).isEqualTo("half an upload");
        Artifact fromJob = live(job).stream().filter(a -> a.kind() == ArtifactKind.MODEL && !a.id().equals(earlier.id()))
                .findFirst().orElseThrow();
        assertThat(fromJob.storageKey()).isNotEqualTo(earlier.storageKey());
        assertThat(read(fromJob.storageKey())).isEqualTo("from the job");
        assertThat(fromJob.sha256()).isEqualTo(Sha256.of("from the job".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void addingAnArtifactToAQueuedOrRunningJobIsRefusedAndNothingIsStored() {
        JobHandle queued = reclaim.jobs().submit(CommandJob.of("true"), ComputeContext.local().withWait(false).withQueue("later"));
        assertThatThrownBy(() -> add(reclaim.tasks().get(queued.id()), ArtifactKind.MODEL, "m.ckpt", "by hand"))
                .isInstanceOf(RefusedException.class).hasMessageContaining("QUEUED").hasMessageContaining("written by the job")
                .hasMessageContaining("nothing was stored");

        assertThat(tasks.claimNext(List.of("later"), "w", clock.instant(), clock.instant().plusSeconds(60))).isPresent();
        assertThatThrownBy(() -> add(reclaim.tasks().get(queued.id()), ArtifactKind.MODEL, "m.ckpt", "by hand"))
                .isInstanceOf(RefusedException.class).hasMessageContaining("RUNNING");

        assertThat(tasks.artifactsOf(queued.id())).isEmpty();
        assertThat(artifacts.stat(ArtifactKeys.of(queued.id(), ArtifactKind.MODEL, "m.ckpt"))).isEmpty();
    }

    @Test
    void namesThatMapToOneFileOrFolderOnSomeFileSystemsAreRefusedNamingTheClash() {
        Task t = draft("a");
        Artifact upper = add(t, ArtifactKind.MODEL, "Best.ckpt", "upper");
        Artifact composed = add(t, ArtifactKind.MODEL, "caf\u00E9.bin", "composed");
        Artifact file = add(t, ArtifactKind.ARTIFACT, "out", "a file");
        Artifact nested = add(t, ArtifactKind.ARTIFACT, "dir/x.csv", "in a folder");

        assertThatThrownBy(() -> add(t, ArtifactKind.MODEL, "best.CKPT", "lower"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'Best.ckpt'")
                .hasMessageContaining(upper.id()).hasMessageContaining("case");
        assertThatThrownBy(() -> add(t, ArtifactKind.MODEL, "cafe\u0301.bin", "decomposed"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining(composed.id())
                .hasMessageContaining("normali");
        assertThatThrownBy(() -> add(t, ArtifactKind.ARTIFACT, "out/y.csv", "needs a folder where a file is"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'out'")
                .hasMessageContaining(file.id()).hasMessageContaining("folder");
        assertThatThrownBy(() -> add(t, ArtifactKind.ARTIFACT, "DIR", "a file where a folder is"))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("'dir/x.csv'")
                .hasMessageContaining(nested.id());

        assertThat(live(t)).containsExactlyInAnyOrder(upper, composed, file, nested);
        assertThat(tasks.artifactsOf(t.id())).hasSize(4);
        assertThat(read(upper.storageKey())).isEqualTo("upper");
        // another kind is another folder: no clash
        assertThat(add(t, ArtifactKind.DEBUG_SAMPLE, "best.CKPT", "debug").state()).isEqualTo(ArtifactState.LIVE);
    }

    // ---- models added to a published task ----------------------------------------------------

    @Test
    void aModelAddedToAPublishedTaskIsPublishedWithItsActivationAndKeptWhenTheTaskIsDeleted() {
        Task t = reclaim.tasks().create(new NewTask("p", null, null, TaskStatus.COMPLETED, Set.of(), null, Map.of()));
        reclaim.tasks().publish(t.id());

        Artifact model = add(t, ArtifactKind.MODEL, "late.ckpt", "late weights");
        Artifact file = add(t, ArtifactKind.ARTIFACT, "notes.txt", "notes");

        assertThat(model.published()).isTrue();
        assertThat(file.published()).isFalse();
        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS.forced(true));
        assertThat(r.deleted()).isTrue();
        assertThat(read(model.storageKey())).isEqualTo("late weights");
        assertThat(tasks.findArtifact(model.id())).hasValueSatisfying(a -> assertThat(a.published()).isTrue());
        assertThat(artifacts.stat(file.storageKey())).isEmpty();
    }

    @Test
    void aModelWhoseUploadStartedBeforeItsTaskWasPublishedIsPublishedWhenItBecomesLive() {
        Task t = reclaim.tasks().create(new NewTask("p", null, null, TaskStatus.COMPLETED, Set.of(), null, Map.of()));
        Artifact pending = abandonedUpload(t, "racing.ckpt", "racing weights", 14);

        reclaim.tasks().publish(t.id());
        assertThat(tasks.activateAdded(t.id(), pending.id(),
                new StoredObject(14, Sha256.of("racing weights".getBytes(StandardCharsets.UTF_8))), List.of()))
                .isEqualTo(ArtifactCatalog.Activation.ACTIVATED);

        assertThat(tasks.findArtifact(pending.id())).hasValueSatisfying(a -> {
            assertThat(a.state()).isEqualTo(ArtifactState.LIVE);
            assertThat(a.published()).isTrue();
        });
    }

    // ---- fsck: stored bytes against their records ---------------------------------------------

    @Test
    void fsckReportsAnObjectWhoseSizeIsNotTheRecordedOneAndRepairKeepsBoth() {
        Task t = draft("a");
        Artifact a = add(t, ArtifactKind.ARTIFACT, "o.csv", "twelve bytes");
        // something outside Reclaim swapped the bytes
        artifacts.delete(a.storageKey());
        artifacts.putBytes(a.storageKey(), "fewer".getBytes(StandardCharsets.UTF_8));

        FsckReport found = reclaim.fsck().check();
        assertThat(found.consistent()).isFalse();
        assertThat(found.writes().sizeMismatchCount()).isEqualTo(1);
        assertThat(found.writes().sizeMismatches()).singleElement().asString()
                .contains(a.id()).contains("recorded 12 bytes").contains("stored 5");

        FsckReport after = reclaim.fsck().repair();
        assertThat(after.consistent()).isFalse();
        assertThat(after.writes().sizeMismatchCount()).isEqualTo(1);
        assertThat(tasks.findArtifact(a.id())).isPresent();
        assertThat(read(a.storageKey())).isEqualTo("fewer");
    }

    @Test
    void fsckReportsAChecksumMismatchOnlyWhenAskedToVerifyChecksums() {
        Task t = draft("a");
        Artifact a = add(t, ArtifactKind.ARTIFACT, "o.csv", "same length A");
        add(t, ArtifactKind.ARTIFACT, "fine.csv", "untouched");
        artifacts.delete(a.storageKey());
        artifacts.putBytes(a.storageKey(), "same length B".getBytes(StandardCharsets.UTF_8));

        assertThat(reclaim.fsck().check().consistent()).isTrue();
        FsckReport verified = reclaim.fsck().verifyingChecksums().check();

        assertThat(verified.consistent()).isFalse();
        assertThat(verified.writes().checksumsVerified()).isTrue();
        assertThat(verified.writes().checksumsChecked()).isEqualTo(2);
        assertThat(verified.writes().checksumMismatchCount()).isEqualTo(1);
        assertThat(verified.writes().checksumMismatches()).singleElement().asString().contains(a.id()).contains(a.sha256());
        assertThat(reclaim.fsck().verifyingChecksums().repair().writes().checksumMismatchCount()).isEqualTo(1);
        assertThat(read(a.storageKey())).isEqualTo("same length B");
    }

    @Test
    void artifactsRegisteredWithoutAChecksumAreCheckedBySizeOnly() {
        Task t = draft("a");
        String key = "tasks/" + t.id() + "/artifacts/old.csv";
        artifacts.putBytes(key, "old row".getBytes(StandardCharsets.UTF_8));
        tasks.insertArtifacts(List.of(new Artifact(Ids.next(clock.instant()), t.id(), ArtifactKind.ARTIFACT, "old.csv", key, 7,
                clock.instant(), false, ArtifactState.LIVE)));

        FsckReport r = reclaim.fsck().verifyingChecksums().check();

        assertThat(r.consistent()).isTrue();
        assertThat(r.writes().checksumsChecked()).isZero();
    }

    // ---- reports count only objects that existed ----------------------------------------------

    @Test
    void deletingATaskRemovesItsAbandonedUploadsObjectsAndCountsOnlyObjectsThatExisted() {
        Task t = draft("a");
        add(t, ArtifactKind.ARTIFACT, "o.csv", "1234567890");
        Artifact stored = abandonedUpload(t, "stored.ckpt", "stored before the kill", 22);
        abandonedUpload(t, "never-stored.ckpt", null, 400_000_000L);

        DeleteResult r = reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS);

        assertThat(r.deleted()).isTrue();
        assertThat(r.objects()).isEqualTo(2);
        assertThat(r.bytes()).isEqualTo(10 + 22);
        assertThat(artifacts.stat(stored.storageKey())).isEmpty();
        AuditRecord audit = tasks.audit(1).get(0);
        assertThat(audit.objects()).isEqualTo(2);
        assertThat(audit.bytes()).isEqualTo(32);
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void aCleanupRunCountsOnlyObjectsThatExisted() throws Exception {
        Task t = archivedTask("old", "p", TaskStatus.CREATED, 40, 100);
        abandonedUpload(t, "never-stored.ckpt", null, 400_000_000L);

        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);

        assertThat(run.deleted()).isEqualTo(1);
        assertThat(run.objects()).isEqualTo(1);
        assertThat(run.bytes()).isEqualTo(100);
        assertThat(tasks.findTask(t.id())).isEmpty();
    }

    // ---- abandoned uploads and interrupted writes ---------------------------------------------

    @Test
    void anUploadWithinTheGracePeriodIsLeftAloneByFsckRepairAndCleanup() throws Exception {
        Task t = draft("a");
        Artifact pending = abandonedUpload(t, "uploading.ckpt", "half", 10);
        clock.advance(Reclaim.DEFAULT_ABANDONED_WRITE_GRACE.minusMinutes(1));

        assertThat(reclaim.fsck().check().consistent()).isTrue();
        reclaim.fsck().repair();
        reclaim.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);

        assertThat(tasks.findArtifact(pending.id())).hasValueSatisfying(a -> assertThat(a.state()).isEqualTo(ArtifactState.PENDING));
        assertThat(read(pending.storageKey())).isEqualTo("half");
    }

    @Test
    void anAbandonedUploadIsReportedByFsckAndRemovedByRepairCountingOnlyWhatExisted() {
        Task t = draft("a");
        Artifact kept = add(t, ArtifactKind.ARTIFACT, "kept.csv", "kept");
        Artifact stored = abandonedUpload(t, "stored.ckpt", "stored", 6);
        Artifact never = abandonedUpload(t, "never.ckpt", null, 400_000_000L);
        clock.advance(PAST_GRACE);

        FsckReport found = reclaim.fsck().check();
        assertThat(found.consistent()).isFalse();
        assertThat(found.writes().abandonedUploadCount()).isEqualTo(2);
        assertThat(found.writes().abandonedUploads()).anySatisfy(u -> assertThat(u).contains(stored.id()))
                .anySatisfy(u -> assertThat(u).contains(never.id()));

        FsckReport after = reclaim.fsck().repair();

        assertThat(after.consistent()).isTrue();
        assertThat(tasks.findArtifact(stored.id())).isEmpty();
        assertThat(tasks.findArtifact(never.id())).isEmpty();
        assertThat(artifacts.stat(stored.storageKey())).isEmpty();
        assertThat(live(t)).containsExactly(kept);
        assertThat(reclaim.tasks().get(t.id()).status()).isEqualTo(TaskStatus.CREATED);
        assertThat(tasks.audit(1)).singleElement().satisfies(r -> {
            assertThat(r.action()).isEqualTo("delete-artifacts");
            assertThat(r.objects()).isEqualTo(1);
            assertThat(r.bytes()).isEqualTo(6);
        });
        // the name is free again: the add is tried anew
        assertThat(add(t, ArtifactKind.MODEL, "never.ckpt", "at last").sha256()).isNotNull();
    }

    @Test
    void theCleanupServiceRemovesAbandonedUploadsAndInterruptedWrites() throws Exception {
        Task t = draft("a");
        Artifact stored = abandonedUpload(t, "stored.ckpt", "stored", 6);
        Path temp = artifactFolder() == null ? null : tempFile("tasks/" + t.id() + "/models", 1000, clock.instant());
        clock.advance(PAST_GRACE);

        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);

        assertThat(run.deleted()).isZero(); // they belong to no candidate: the run's report (and its dry run) leave them out
        assertThat(tasks.findArtifact(stored.id())).isEmpty();
        assertThat(artifacts.stat(stored.storageKey())).isEmpty();
        if (temp != null) {
            assertThat(temp).doesNotExist();
        }
        assertThat(reclaim.fsck().check().consistent()).isTrue();
    }

    @Test
    void aDryRunRemovesNothing() throws Exception {
        Task t = draft("a");
        Artifact stored = abandonedUpload(t, "stored.ckpt", "stored", 6);
        clock.advance(PAST_GRACE);

        reclaim.cleanup().runOnce(CleanupSettings.builder().dryRun(true).build(), null, CleanupListener.NONE);

        assertThat(tasks.findArtifact(stored.id())).isPresent();
    }

    @Test
    void deletingATaskRemovesTheTempFilesOfItsKilledAddsAtOnceAndNoOtherTasks() throws Exception {
        assumeThat(artifactFolder()).as("a store that writes temp files").isNotNull();
        Task t = draft("a");
        add(t, ArtifactKind.MODEL, "kept.ckpt", "kept");
        Instant now = clock.instant(); // within the grace period: only the deletion can remove them
        tempFile("tasks/" + t.id() + "/models", 1000, now);
        tempFile("tasks/" + t.id() + "/artifacts/sub", 10, now);
        Task other = draft("other");
        Path othersTemp = tempFile("tasks/" + other.id() + "/models", 10, now);

        assertThat(reclaim.tasks().delete(t.id(), DeleteOptions.DEFAULTS).deleted()).isTrue();

        assertThat(artifactFolder().resolve("tasks/" + t.id())).doesNotExist();
        assertThat(tempFiles()).containsExactly(othersTemp);
    }

    @Test
    void aCleanupRunRemovesTheTempFilesOfTheTasksItDeletes() throws Exception {
        assumeThat(artifactFolder()).as("a store that writes temp files").isNotNull();
        Task old = archivedTask("old", "p", TaskStatus.CREATED, 40, 100);
        tempFile("tasks/" + old.id() + "/models", 1000, clock.instant());

        CleanupRun run = reclaim.cleanup().runOnce(CleanupSettings.builder().build(), null, CleanupListener.NONE);

        assertThat(run.deleted()).isEqualTo(1);
        assertThat(run.objects()).isEqualTo(1);
        assertThat(artifactFolder().resolve("tasks/" + old.id())).doesNotExist();
        assertThat(tempFiles()).isEmpty();
    }

    @Test
    void interruptedWritesOlderThanTheGracePeriodAreReportedAndRemovedByRepair() throws Exception {
        assumeThat(artifactFolder()).as("a store that writes temp files").isNotNull();
        Task t = draft("a");
        Artifact kept = add(t, ArtifactKind.MODEL, "kept.ckpt", "kept");
        Instant now = clock.instant();
        Path old = tempFile("tasks/" + t.id() + "/models", 1234, now.minus(PAST_GRACE));
        Path recent = tempFile("tasks/" + t.id() + "/models", 10, now.minusSeconds(60));

        FsckReport found = reclaim.fsck().check();
        assertThat(found.consistent()).isFalse();
        assertThat(found.writes().interruptedWriteCount()).isEqualTo(1);
        assertThat(found.writes().interruptedWriteBytes()).isEqualTo(1234);
        assertThat(found.writes().interruptedWrites()).singleElement().asString().contains(old.getFileName().toString());

        assertThat(reclaim.fsck().repair().consistent()).isTrue();

        assertThat(tempFiles()).containsExactly(recent);
        assertThat(read(kept.storageKey())).isEqualTo("kept");
    }
}
