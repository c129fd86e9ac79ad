package dev.reclaim.store.fs;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;
import dev.reclaim.store.ObjectExistsException;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.RootMarker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What only a filesystem store can get wrong: links inside the root pointing outside (or inside),
 * pruning of emptied folders, temp files, special files, rename versus copy. Runs with secure
 * directory streams; {@link PathCheckedFileArtifactStoreSafetyTest} runs it on the fallback.
 */
class FileArtifactStoreSafetyTest {
    private static final byte[] SECRET = "outside the root".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tmp;

    Path root;
    Path outside;
    FileArtifactStore store;

    /** Opens the store under test. */
    FileArtifactStore open(Path dir) {
        return FileArtifactStore.builder(dir).syncWrites(false).open();
    }

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectories(tmp.resolve("root"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.write(outside.resolve("victim.txt"), SECRET);
        Files.createDirectories(outside.resolve("sub"));
        Files.write(outside.resolve("sub/victim.txt"), SECRET);
        store = open(root);
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
        assertOutsideUntouched();
    }

    // ---- what is in the way of a key is named, never followed ------------------------------------

    @Test
    void whatStandsInTheWayOfAKeyIsNamedAndNeverFollowed() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/linked.txt"), outside.resolve("victim.txt"));
        Files.createDirectories(root.resolve("a/folder"));
        Files.writeString(root.resolve("file"), "x");
        store.putBytes("a/object.txt", bytes("o"));

        assertThat(store.obstacle("link/victim.txt")).hasValueSatisfying(w -> assertThat(w).contains("symbolic link"));
        assertThat(store.obstacle("a/linked.txt")).hasValueSatisfying(w -> assertThat(w).contains("symbolic link"));
        assertThat(store.obstacle("a/folder")).hasValueSatisfying(w -> assertThat(w).contains("a folder is at its key"));
        assertThat(store.obstacle("file/x")).hasValueSatisfying(w -> assertThat(w).contains("is a file"));
        assertThat(store.obstacle("a/object.txt")).as("an object is no obstacle").isEmpty();
        assertThat(store.obstacle("a/missing.txt")).isEmpty();
        assertThat(store.obstacle("missing/x.txt")).isEmpty();
        assertThat(store.stat("link/victim.txt")).as("still no object").isEmpty();
    }

    // ---- a folder inside the root is a link ----------------------------------------------------

    @Test
    void deleteNeverFollowsALinkedFolder() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);

        assertThatThrownBy(() -> store.delete("link/victim.txt"))
                .isInstanceOf(StoreException.class).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> store.delete("link/sub/victim.txt")).isInstanceOf(StoreException.class);

        assertThat(root.resolve("link")).isSymbolicLink();
    }

    @Test
    void deleteBatchReportsKeysUnderALinkedFolderAsFailedAndTouchesNothing() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        store.putBytes("real/x", bytes("x"));

        List<DeleteOutcome> outcomes = store.deleteBatch(List.of("link/victim.txt", "link/sub/victim.txt", "real/x"));

        Map<String, DeleteOutcome> byKey = outcomes.stream().collect(Collectors.toMap(DeleteOutcome::key, o -> o));
        assertThat(byKey.get("link/victim.txt").status()).isEqualTo(Status.FAILED);
        assertThat(byKey.get("link/victim.txt").error()).contains("symbolic link");
        assertThat(byKey.get("link/sub/victim.txt").status()).isEqualTo(Status.FAILED);
        assertThat(byKey.get("real/x").status()).isEqualTo(Status.DELETED);
        assertThat(root.resolve("link")).isSymbolicLink();
        assertThat(root.resolve("real")).doesNotExist();
    }

    @Test
    void putsNeverWriteThroughALinkedFolder() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        Path source = Files.write(tmp.resolve("source"), bytes("new"));

        assertThatThrownBy(() -> store.putBytes("link/new.txt", bytes("new"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.putBytes("link/victim.txt", bytes("new"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.putBytes("link/deeper/new.txt", bytes("new"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.putFile("link/copied.txt", source, false)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.putFile("link/moved.txt", source, true)).isInstanceOf(StoreException.class);

        assertThat(outside.resolve("new.txt")).doesNotExist();
        assertThat(outside.resolve("deeper")).doesNotExist();
        assertThat(outside.resolve("copied.txt")).doesNotExist();
        assertThat(outside.resolve("moved.txt")).doesNotExist();
        assertThat(source).hasContent("new");
    }

    @Test
    void readsAndListNeverFollowALinkedFolder() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        store.putBytes("real/x", bytes("x"));

        assertThatThrownBy(() -> store.open("link/victim.txt")).isInstanceOf(StoreException.class);
        assertThat(store.stat("link/victim.txt")).isEmpty();
        assertThat(keys("")).containsExactly("real/x");
        assertThat(keys("link/")).isEmpty();
        assertThat(keys("link/sub/")).isEmpty();
        assertThat(keys("li")).isEmpty();
    }

    @Test
    void aLinkedFolderDeeperInTheTreeIsNeverFollowed() throws IOException {
        store.putBytes("a/keep", bytes("k"));
        Files.createSymbolicLink(root.resolve("a/b"), outside);

        assertThat(store.deleteBatch(List.of("a/b/victim.txt", "a/b/sub/victim.txt")))
                .extracting(DeleteOutcome::status).containsOnly(Status.FAILED);
        assertThatThrownBy(() -> store.delete("a/b/victim.txt")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.putBytes("a/b/sub/new", bytes("n"))).isInstanceOf(StoreException.class);
        assertThat(store.stat("a/b/sub/victim.txt")).isEmpty();
        assertThat(keys("a/")).containsExactly("a/keep");
        assertThat(outside.resolve("sub/new")).doesNotExist();
    }

    @Test
    void aLinkToAFolderInsideTheRootIsNotAnAliasEither() throws IOException {
        store.putBytes("real/x", bytes("x"));
        Files.createSymbolicLink(root.resolve("alias"), root.resolve("real"));

        assertThat(store.deleteBatch(List.of("alias/x"))).extracting(DeleteOutcome::status).containsExactly(Status.FAILED);
        assertThat(store.stat("alias/x")).isEmpty();
        assertThat(keys("")).containsExactly("real/x");
        assertThat(root.resolve("real/x")).exists();
    }

    // ---- the last segment of a key is a link -----------------------------------------------------

    @Test
    void aLinkAsTheLastSegmentIsNeverReadThrough() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/file.txt"), outside.resolve("victim.txt"));

        assertThatThrownBy(() -> store.open("a/file.txt")).isInstanceOf(StoreException.class);
        assertThat(store.stat("a/file.txt")).isEmpty();
        assertThat(keys("")).isEmpty();
    }

    @Test
    void deletingALinkRemovesTheLinkNotItsTarget() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/one"), outside.resolve("victim.txt"));
        Files.createSymbolicLink(root.resolve("a/two"), outside.resolve("victim.txt"));
        Files.createSymbolicLink(root.resolve("a/dirlink"), outside);

        store.delete("a/one");
        assertThat(store.deleteBatch(List.of("a/two", "a/dirlink"))).allSatisfy(o -> assertThat(o.gone()).isTrue());

        assertThat(root.resolve("a")).doesNotExist();
    }

    @Test
    void aPutOverALinkIsRefusedAndChangesNeitherTheLinkNorItsTarget() throws IOException {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/file.txt"), outside.resolve("victim.txt"));
        Files.createSymbolicLink(root.resolve("a/other.txt"), outside.resolve("sub/victim.txt"));
        Path source = Files.write(tmp.resolve("src"), bytes("copied"));

        assertThatThrownBy(() -> store.putBytes("a/file.txt", bytes("replaced")))
                .isInstanceOf(ObjectExistsException.class).hasMessageContaining("a link");
        assertThatThrownBy(() -> store.putFile("a/other.txt", source, false)).isInstanceOf(ObjectExistsException.class);
        assertThatThrownBy(() -> store.putFile("a/other.txt", source, true)).isInstanceOf(ObjectExistsException.class);

        assertThat(Files.isSymbolicLink(root.resolve("a/file.txt"))).isTrue();
        assertThat(Files.isSymbolicLink(root.resolve("a/other.txt"))).isTrue();
        assertThat(outside.resolve("victim.txt")).hasBinaryContent(SECRET);
        assertThat(outside.resolve("sub/victim.txt")).hasBinaryContent(SECRET);
        assertThat(source).hasContent("copied");
        assertThat(namesUnder(root)).noneMatch(FsNames::isTempName);
    }

    @Test
    void aPutOverAFolderIsRefusedAndKeepsTheFolder() throws IOException {
        store.putBytes("a/b/inner", bytes("x"));

        assertThatThrownBy(() -> store.putBytes("a/b", bytes("y"))).isInstanceOf(ObjectExistsException.class)
                .hasMessageContaining("a folder");

        assertThat(root.resolve("a/b/inner")).hasContent("x");
        assertThat(namesUnder(root)).noneMatch(FsNames::isTempName);
    }

    @Test
    void putFileRefusesASourceThatIsALinkOrAFolder() throws IOException {
        Path linkSource = Files.createSymbolicLink(tmp.resolve("link-source"), outside.resolve("victim.txt"));

        assertThatThrownBy(() -> store.putFile("a/x", linkSource, false)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.putFile("a/x", linkSource, true)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.putFile("a/x", outside, true)).isInstanceOf(InvalidArgumentException.class);

        assertThat(keys("")).isEmpty();
        assertThat(linkSource).isSymbolicLink();
    }

    // ---- pruning ------------------------------------------------------------------------------

    @Test
    void deleteBatchPrunesEmptiedFoldersUpToButNotIncludingTheRoot() throws IOException {
        store.putBytes("a/b/c/x", bytes("x"));
        store.putBytes("a/b/d/y", bytes("y"));
        store.putBytes("a/keep", bytes("k"));

        store.deleteBatch(List.of("a/b/c/x", "a/b/d/y"));

        assertThat(root.resolve("a/b")).doesNotExist();
        assertThat(root.resolve("a/keep")).exists();

        store.deleteBatch(List.of("a/keep"));
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void deletePrunesEmptiedFoldersUpToButNotIncludingTheRoot() throws IOException {
        store.putBytes("a/b/c/x", bytes("x"));
        store.putBytes("a/y", bytes("y"));

        assertThat(store.delete("a/b/c/x")).isTrue();
        assertThat(root.resolve("a/b")).doesNotExist();
        assertThat(root.resolve("a/y")).exists();

        assertThat(store.delete("a/y")).isTrue();
        assertThat(root).isEmptyDirectory();
        store.putBytes("top", bytes("t"));
        store.delete("top");
        assertThat(root).isEmptyDirectory();
    }

    @Test
    void aFolderHoldingSomethingElseIsNotPruned() throws IOException {
        store.putBytes("a/x", bytes("x"));
        Files.write(root.resolve("a/not-ours\\name"), bytes("foreign"));

        store.deleteBatch(List.of("a/x"));

        assertThat(root.resolve("a/not-ours\\name")).exists();
    }

    // ---- files in the way, special files --------------------------------------------------------

    @Test
    void aFileWhereAFolderIsExpectedIsNoFolder() {
        store.putBytes("f", bytes("file"));

        assertThatThrownBy(() -> store.putBytes("f/x", bytes("x"))).isInstanceOf(StoreException.class);
        assertThat(store.stat("f/x")).isEmpty();
        assertThat(store.delete("f/x")).isFalse();
        assertThat(store.deleteBatch(List.of("f/x"))).extracting(DeleteOutcome::status).containsExactly(Status.ABSENT);
        assertThat(keys("f/")).isEmpty();
    }

    @Test
    void aSegmentLongerThanAFileNameCanBeIsNeverStoredButReadsAndDeletesAreCalm() {
        String key = "long/" + "é".repeat(128); // 128 characters, 256 bytes of UTF-8

        assertThatThrownBy(() -> store.putBytes(key, bytes("x"))).isInstanceOf(StoreException.class).hasMessageContaining("255 bytes");
        assertThat(store.stat(key)).isEmpty();
        assertThat(store.delete(key)).isFalse();
        assertThat(store.deleteBatch(List.of(key))).extracting(DeleteOutcome::status).containsExactly(Status.ABSENT);
        store.putBytes("long/" + "é".repeat(127), bytes("fits"));
        assertThat(keys("long/")).hasSize(1);
    }

    @Test
    @Timeout(30)
    void aFifoIsNeverOpened() throws Exception {
        Files.createDirectories(root.resolve("a"));
        mkfifo(root.resolve("a/pipe"));
        mkfifo(root.resolve("pipedir"));

        assertThatThrownBy(() -> store.open("a/pipe")).isInstanceOf(StoreException.class);
        assertThat(store.stat("a/pipe")).isEmpty();
        assertThat(keys("")).isEmpty();
        assertThat(store.deleteBatch(List.of("pipedir/x"))).extracting(DeleteOutcome::status).containsExactly(Status.ABSENT);
        assertThatThrownBy(() -> store.putBytes("pipedir/x", bytes("x"))).isInstanceOf(StoreException.class);
        assertThat(store.deleteBatch(List.of("a/pipe"))).extracting(DeleteOutcome::status).containsExactly(Status.DELETED);
    }

    // ---- temp files ---------------------------------------------------------------------------

    @Test
    void tempFilesAndForeignNamesAreNeverListedAndPutsLeaveNoTempFiles() throws IOException {
        for (int i = 0; i < 50; i++) {
            store.putBytes("t/" + i, bytes("v" + i));
            store.putFile("u/" + i, Files.write(tmp.resolve("s" + i), bytes("s")), i % 2 == 0);
        }
        assertThat(namesUnder(root)).noneMatch(FsNames::isTempName);

        Files.write(root.resolve("t/" + FsNames.newTempName()), bytes("half-written"));
        Files.write(root.resolve("back\\slash"), bytes("foreign"));

        assertThat(keys("")).hasSize(100).allMatch(k -> k.startsWith("t/") || k.startsWith("u/"));
        assertThat(keys("t/.reclaim")).isEmpty();
    }

    @Test
    void removeTempFilesClearsOnlyOldTempFiles() throws IOException {
        store.putBytes("t/object", bytes("keep"));
        Path temp = Files.write(root.resolve("t/" + FsNames.newTempName()), bytes("half-written"));

        assertThat(store.removeTempFiles(Instant.now().minusSeconds(3600))).isZero();
        assertThat(store.removeTempFiles(Instant.now().plusSeconds(60))).isEqualTo(1);

        assertThat(temp).doesNotExist();
        assertThat(keys("")).containsExactly("t/object");
    }

    @Test
    void interruptedWritesAreListedWithTheirSizeAndRemovedWithTheFoldersTheyAloneKeptAlive() throws IOException {
        store.putBytes("t/keep/object", bytes("keep"));
        Path alone = Files.createDirectories(root.resolve("tasks/x/models"));
        String name = FsNames.newTempName();
        Files.write(alone.resolve(name), new byte[1234]);
        Path beside = Files.write(root.resolve("t/keep/" + FsNames.newTempName()), new byte[10]);
        Path fresh = Files.write(root.resolve("t/" + FsNames.newTempName()), new byte[5]);
        Instant cutoff = Instant.now().minusSeconds(60);
        Files.setLastModifiedTime(alone.resolve(name), FileTime.from(cutoff.minusSeconds(1)));
        Files.setLastModifiedTime(beside, FileTime.from(cutoff.minusSeconds(1)));

        List<ObjectInfo> found = new ArrayList<>();
        store.listInterruptedWrites("", cutoff, found::add);
        assertThat(found).extracting(ObjectInfo::key, ObjectInfo::sizeBytes).containsExactlyInAnyOrder(
                tuple("tasks/x/models/" + name, 1234L), tuple("t/keep/" + beside.getFileName(), 10L));

        List<ObjectInfo> removed = new ArrayList<>();
        store.removeInterruptedWrites("", cutoff, removed::add);

        assertThat(removed).extracting(ObjectInfo::key).containsExactlyInAnyOrderElementsOf(
                found.stream().map(ObjectInfo::key).toList());
        assertThat(root.resolve("tasks")).doesNotExist();
        assertThat(beside).doesNotExist();
        assertThat(fresh).exists();
        assertThat(keys("")).containsExactly("t/keep/object");
    }

    @Test
    void interruptedWritesAreLookedForUnderAFolderOnly() throws IOException {
        Path inside = Files.createDirectories(root.resolve("tasks/x/models"));
        Path outsideFolder = Files.createDirectories(root.resolve("tasks/y/models"));
        Path mine = Files.write(inside.resolve(FsNames.newTempName()), new byte[3]);
        Path other = Files.write(outsideFolder.resolve(FsNames.newTempName()), new byte[4]);
        Instant later = Instant.now().plusSeconds(60);

        List<ObjectInfo> removed = new ArrayList<>();
        store.removeInterruptedWrites("tasks/x/models/", later, removed::add);
        store.removeInterruptedWrites("tasks/none/", later, removed::add);

        assertThat(removed).extracting(ObjectInfo::key).containsExactly("tasks/x/models/" + mine.getFileName());
        assertThat(mine).doesNotExist();
        assertThat(root.resolve("tasks/x")).doesNotExist();
        assertThat(other).exists();
        assertThatThrownBy(() -> store.removeInterruptedWrites("tasks/x", later, removed::add))
                .isInstanceOf(InvalidArgumentException.class);
    }

    // ---- putFile: rename versus copy ------------------------------------------------------------

    @Test
    void putFileWithMoveOnTheSameFilesystemIsARename() throws IOException {
        Path source = Files.write(tmp.resolve("staged"), bytes("content"));
        Object inode = Files.getAttribute(source, "unix:ino");

        assertThat(store.putFile("m/x", source, true)).isEqualTo(7);

        assertThat(source).doesNotExist();
        assertThat(Files.getAttribute(root.resolve("m/x"), "unix:ino")).isEqualTo(inode);
    }

    @Test
    void putFileWithoutMoveCopies() throws IOException {
        Path source = Files.write(tmp.resolve("staged"), bytes("content"));
        Object inode = Files.getAttribute(source, "unix:ino");

        store.putFile("c/x", source, false);

        assertThat(source).hasContent("content");
        assertThat(Files.getAttribute(root.resolve("c/x"), "unix:ino")).isNotEqualTo(inode);
    }

    @Test
    void putFileWithMoveAcrossFilesystemsCopiesThenRemovesTheSource() throws IOException {
        Path shm = Path.of("/dev/shm");
        assumeThat(Files.isDirectory(shm) && Files.isWritable(shm)).as("/dev/shm available").isTrue();
        assumeThat(Files.getFileStore(shm)).isNotEqualTo(Files.getFileStore(root));
        Path source = Files.write(Files.createTempFile(shm, "reclaim-test", ".bin"), bytes("across"));
        try {
            assertThat(store.putFile("x/across", source, true)).isEqualTo(6);

            assertThat(root.resolve("x/across")).hasContent("across");
            assertThat(source).doesNotExist();
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void aFailedMoveGivesTheSourceBack() throws IOException {
        store.putBytes("busy/inner/x", bytes("x")); // "busy/inner" is a folder: nothing can be stored at it
        Path source = Files.write(tmp.resolve("staged"), bytes("content"));

        assertThatThrownBy(() -> store.putFile("busy/inner", source, true)).isInstanceOf(StoreException.class);

        assertThat(source).hasContent("content");
        assertThat(namesUnder(root)).noneMatch(FsNames::isTempName);
    }

    // ---- the store itself ---------------------------------------------------------------------

    @Test
    void aRootGivenThroughALinkIsResolvedOnce() throws IOException {
        Path link = Files.createSymbolicLink(tmp.resolve("root-link"), root);
        try (FileArtifactStore viaLink = open(link)) {
            viaLink.putBytes("k", bytes("v"));

            assertThat(viaLink.describe()).isEqualTo("file:" + root.toRealPath());
            assertThat(root.resolve("k")).hasContent("v");
        }
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();
        store.close();

        assertThatThrownBy(() -> store.putBytes("a", bytes("a"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.deleteBatch(List.of("a"))).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.list("", i -> { })).isInstanceOf(StoreException.class);
    }

    @Test
    void secureDirectoryStreamsAreUsedOnLinux() {
        assumeThat(System.getProperty("os.name")).isEqualTo("Linux");
        assertThat(store.usesSecureDirectoryStreams()).isEqualTo(getClass() == FileArtifactStoreSafetyTest.class);
    }

    // ---- the root's identity marker ------------------------------------------------------------

    @Test
    void aMarkerThatIsALinkIsNoMarkerAndItsTargetIsNeverRead() throws IOException {
        Files.createSymbolicLink(root.resolve(RootMarker.NAME), outside.resolve("victim.txt"));

        assertThat(store.readRootMarker()).contains("");
        assertThat(store.createRootMarker("mine")).isFalse();
        assertThat(root.resolve(RootMarker.NAME)).isSymbolicLink();
    }

    @Test
    void theMarkerIsAFileOfItsOwnWithNoTempFileLeft() throws IOException {
        assertThat(store.createRootMarker("mine")).isTrue();

        try (Stream<Path> all = Files.list(root)) {
            assertThat(all.map(p -> p.getFileName().toString())).containsExactly(RootMarker.NAME);
        }
        assertThat(Files.readString(root.resolve(RootMarker.NAME))).isEqualTo("mine");
        assertThat(Files.getAttribute(root.resolve(RootMarker.NAME), "unix:nlink")).isEqualTo(1);
    }

    @Test
    void rootEntriesCountWhatIsNoObjectButNotReclaimsOwnTempFiles() throws IOException {
        Files.createSymbolicLink(root.resolve("link"), outside);
        Files.writeString(root.resolve(FsNames.TEMP_PREFIX + "0123456789abcdef"), "left by a crash");

        assertThat(store.rootEntries(10)).containsExactly("link");
        Files.writeString(root.resolve("back\\slash"), "no key can name this");
        assertThat(store.rootEntries(10)).containsExactlyInAnyOrder("link", "back\\slash");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void assertOutsideUntouched() throws IOException {
        assertThat(Files.readAllBytes(outside.resolve("victim.txt"))).isEqualTo(SECRET);
        assertThat(Files.readAllBytes(outside.resolve("sub/victim.txt"))).isEqualTo(SECRET);
        try (Stream<Path> all = Files.walk(outside)) {
            assertThat(all.map(p -> outside.relativize(p).toString()).collect(Collectors.toList()))
                    .containsExactlyInAnyOrder("", "victim.txt", "sub", "sub/victim.txt");
        }
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, i -> keys.add(i.key()));
        keys.sort(null);
        return keys;
    }

    private static List<String> namesUnder(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .map(p -> p.getFileName().toString()).collect(Collectors.toList());
        }
    }

    private static void mkfifo(Path path) throws Exception {
        Process p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        try (InputStream out = p.getInputStream()) {
            out.readAllBytes();
        }
        assumeThat(p.waitFor()).as("mkfifo available").isZero();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
