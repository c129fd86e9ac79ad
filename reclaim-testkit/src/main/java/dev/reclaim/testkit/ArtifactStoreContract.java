package dev.reclaim.testkit;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;
import dev.reclaim.store.ObjectExistsException;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.store.RootMarker;
import dev.reclaim.store.StorageKeys;
import dev.reclaim.model.StoredObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The behaviour every {@link ArtifactStore} must have. A backend's test extends this class and
 * implements {@link #newStore()}; nothing here assumes a filesystem (it runs against S3 too), except
 * that {@code putFile} sources are local files. Keys are only ever used as whole objects, never as
 * both an object and a folder ({@code a/b} and {@code a/b/c}), which a filesystem cannot hold.
 */
public abstract class ArtifactStoreContract {

    /** Keys {@link StorageKeys#validate} rejects; every operation must refuse them. */
    public static final List<String> INVALID_KEYS = List.of(
            "", "../x", "a/../../x", "..", ".", "/abs", "/", "a//b", "a/./b", "a/.", "a/", "a/..",
            "a\\b", "..\\x", "a\u0000b", "a\nb", "a\tb", "a\u007fb", "x".repeat(1025));

    /** Prefixes no valid key can start with: {@code list} refuses them. */
    public static final List<String> INVALID_PREFIXES = List.of("/abs", "../", "a/../", "./", "a//", "a\\b", "a\u0001");

    /** Where tests create {@code putFile} sources. */
    @TempDir
    protected Path scratch;

    /** The store under test, fresh for each test. */
    protected ArtifactStore store;

    /** A new, empty store; closed after the test. */
    protected abstract ArtifactStore newStore();

    /**
     * The longest key (in ASCII characters) the store under test can hold: {@link
     * StorageKeys#MAX_LENGTH} unless the backend stores keys under a prefix that counts
     * against its own limit (S3: 1,024 bytes for prefix and key together). At least 821.
     */
    protected int longestKey() {
        return StorageKeys.MAX_LENGTH;
    }

    @BeforeEach
    void openStore() {
        store = newStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    static Stream<String> invalidKeys() {
        return INVALID_KEYS.stream();
    }

    static Stream<String> invalidPrefixes() {
        return INVALID_PREFIXES.stream();
    }

    // ---- put, open, stat ----------------------------------------------------------------------

    @Test
    void bytesPutAreReadBackByOpen() {
        store.putBytes("job/1/out.txt", bytes("hello"));

        assertThat(read("job/1/out.txt")).isEqualTo(bytes("hello"));
    }

    @Test
    void statReportsTheSizeAndARecentModificationTime() {
        Instant before = Instant.now();
        store.putBytes("job/1/out.bin", new byte[1234]);
        Instant after = Instant.now();

        ObjectInfo info = store.stat("job/1/out.bin").orElseThrow();
        assertThat(info.key()).isEqualTo("job/1/out.bin");
        assertThat(info.sizeBytes()).isEqualTo(1234);
        assertThat(info.lastModified()).isBetween(before.minusSeconds(5), after.plusSeconds(5));
    }

    @Test
    void anEmptyObjectRoundTrips() {
        store.putBytes("empty/zero", new byte[0]);

        assertThat(read("empty/zero")).isEmpty();
        assertThat(store.stat("empty/zero")).hasValueSatisfying(i -> assertThat(i.sizeBytes()).isZero());
        assertThat(listKeys("empty/")).containsExactly("empty/zero");
    }

    @Test
    void putFileCopiesTheSourceAndLeavesItInPlace() throws IOException {
        byte[] content = randomBytes(200_000, 1);
        Path source = scratchFile("source.bin", content);

        long size = store.putFile("job/2/model.bin", source, false);

        assertThat(size).isEqualTo(content.length);
        assertThat(read("job/2/model.bin")).isEqualTo(content);
        assertThat(source).exists();
        assertThat(Files.readAllBytes(source)).isEqualTo(content);
    }

    @Test
    void putFileWithMoveAllowedStoresTheContent() throws IOException {
        byte[] content = randomBytes(70_000, 2);
        Path source = scratchFile("moved.bin", content);

        long size = store.putFile("job/3/moved.bin", source, true);

        assertThat(size).isEqualTo(content.length);
        assertThat(read("job/3/moved.bin")).isEqualTo(content);
        assertThat(store.stat("job/3/moved.bin")).hasValueSatisfying(i -> assertThat(i.sizeBytes()).isEqualTo(content.length));
    }

    @Test
    void putFileOfAMissingSourceFailsAndStoresNothing() {
        assertThatThrownBy(() -> store.putFile("job/4/x", scratch.resolve("missing"), false))
                .isInstanceOf(StoreException.class);
        assertThat(store.stat("job/4/x")).isEmpty();
        assertThat(listKeys("")).isEmpty();
    }

    @Test
    void putBytesNeverReplacesAnExistingObject() {
        store.putBytes("a/obj", bytes("a much longer first version"));

        assertThatThrownBy(() -> store.putBytes("a/obj", bytes("short")))
                .isInstanceOf(ObjectExistsException.class).hasMessageContaining("a/obj");

        assertThat(read("a/obj")).isEqualTo(bytes("a much longer first version"));
        assertThat(listKeys("")).containsExactly("a/obj");
    }

    @Test
    void putFileNeverReplacesAnExistingObjectAndLeavesTheSourceInPlace() throws IOException {
        store.putBytes("a/obj", bytes("old content that is longer"));
        Path copied = scratchFile("new", bytes("new"));
        Path moved = scratchFile("newer", bytes("newer!"));

        assertThatThrownBy(() -> store.putFile("a/obj", copied, false)).isInstanceOf(ObjectExistsException.class);
        assertThatThrownBy(() -> store.putFile("a/obj", moved, true)).isInstanceOf(ObjectExistsException.class);

        assertThat(read("a/obj")).isEqualTo(bytes("old content that is longer"));
        assertThat(listKeys("")).containsExactly("a/obj");
        assertThat(Files.readAllBytes(copied)).isEqualTo(bytes("new"));
        assertThat(Files.readAllBytes(moved)).isEqualTo(bytes("newer!"));
    }

    @Test
    void concurrentPutsOfOneKeyStoreExactlyOneAndRefuseTheOthers() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            for (int round = 0; round < 10; round++) {
                String key = "race/one/" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> puts = new ArrayList<>();
                for (int w = 1; w <= writers; w++) {
                    int v = w;
                    puts.add(pool.submit(() -> {
                        start.await();
                        try {
                            store.putBytes(key, uniform(v, 5000 + v));
                            return true;
                        } catch (ObjectExistsException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                List<Integer> winners = new ArrayList<>();
                for (int w = 1; w <= writers; w++) {
                    if (puts.get(w - 1).get(1, TimeUnit.MINUTES)) {
                        winners.add(w);
                    }
                }
                assertThat(winners).as("round %d", round).hasSize(1);
                int v = winners.get(0);
                assertThat(read(key)).isEqualTo(uniform(v, 5000 + v));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void putFileWithDigestReturnsTheSizeAndSha256OfWhatWasStored() throws Exception {
        byte[] content = randomBytes(300_000, 3);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));

        StoredObject copied = store.putFileWithDigest("d/copied", scratchFile("c.bin", content), false);
        StoredObject moved = store.putFileWithDigest("d/moved", scratchFile("m.bin", content), true);
        StoredObject empty = store.putFileWithDigest("d/empty", scratchFile("e.bin", new byte[0]), false);

        assertThat(copied).isEqualTo(new StoredObject(content.length, expected));
        assertThat(moved).isEqualTo(new StoredObject(content.length, expected));
        assertThat(empty.sizeBytes()).isZero();
        assertThat(empty.sha256()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(read("d/copied")).isEqualTo(content);
        assertThat(read("d/moved")).isEqualTo(content);
    }

    @Test
    void keysWithDotsSpacesAndUnicodeRoundTrip() {
        List<String> keys = List.of("odd/.hidden", "odd/a..b", "odd/trailing.", "odd/...", "odd/with space",
                "odd/ünïcødé-名前", "odd/a+b=c&d%20", ".dot-folder/x");
        keys.forEach(k -> store.putBytes(k, bytes(k)));

        keys.forEach(k -> assertThat(read(k)).as(k).isEqualTo(bytes(k)));
        assertThat(listKeys("")).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void aKeyOfTheMaximumLengthRoundTrips() {
        String key = String.join("/", "a".repeat(204), "b".repeat(204), "c".repeat(204), "d".repeat(204));
        key += "/" + "e".repeat(longestKey() - key.length() - 1);
        assertThat(key).hasSize(longestKey());

        store.putBytes(key, bytes("max"));

        assertThat(read(key)).isEqualTo(bytes("max"));
        assertThat(listKeys("")).containsExactly(key);
        assertThat(store.delete(key)).isTrue();
    }

    @Test
    void openOfAMissingKeyThrowsStoreException() {
        store.putBytes("present/x", bytes("x"));

        assertThatThrownBy(() -> store.open("present/y")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.open("absent/y")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> store.open("present")).isInstanceOf(StoreException.class);
    }

    @Test
    void statOfAMissingKeyIsEmpty() {
        store.putBytes("present/x", bytes("x"));

        assertThat(store.stat("present/y")).isEmpty();
        assertThat(store.stat("absent/y")).isEmpty();
        assertThat(store.stat("present")).isEmpty();
        assertThat(store.stat("present/x/deeper")).isEmpty();
    }

    @Test
    void readersSeeNoObjectOrAWholeObjectNeverAPart() throws Exception {
        ExecutorService writer = Executors.newSingleThreadExecutor();
        AtomicInteger written = new AtomicInteger();
        try {
            Future<?> writes = writer.submit(() -> {
                for (int v = 1; v <= 60; v++) {
                    store.putBytes("atomic/" + v, uniform(v, 1000 + v * 397));
                    written.set(v);
                }
            });
            int reads = 0;
            while (!writes.isDone() || reads < 10) {
                int v = Math.min(60, written.get() + 1); // the key being written, or the last one
                try {
                    byte[] got = read("atomic/" + v);
                    assertThat(got).as("read %d of key %d", reads, v).isEqualTo(uniform(v, 1000 + v * 397));
                } catch (StoreException e) {
                    // not there yet
                }
                reads++;
            }
            writes.get(1, TimeUnit.MINUTES);
        } finally {
            writer.shutdownNow();
        }
        assertThat(read("atomic/60")).isEqualTo(uniform(60, 1000 + 60 * 397));
    }

    // ---- list ---------------------------------------------------------------------------------

    @Test
    void listWithAnEmptyPrefixReportsEveryObjectWithItsSize() {
        store.putBytes("a/1", new byte[1]);
        store.putBytes("a/b/22", new byte[22]);
        store.putBytes("top", new byte[3]);

        Map<String, Long> sizes = new HashMap<>();
        store.list("", i -> sizes.put(i.key(), i.sizeBytes()));

        assertThat(sizes).containsExactlyInAnyOrderEntriesOf(Map.of("a/1", 1L, "a/b/22", 22L, "top", 3L));
    }

    @Test
    void listWithAPrefixReportsOnlyKeysStartingWithIt() {
        List.of("dir/file1", "dir/fig/x", "dir/other", "dirt/y", "di", "else/dir/file1")
                .forEach(k -> store.putBytes(k, bytes(k)));

        assertThat(listKeys("dir/")).containsExactlyInAnyOrder("dir/file1", "dir/fig/x", "dir/other");
        assertThat(listKeys("dir/fi")).containsExactlyInAnyOrder("dir/file1", "dir/fig/x");
        assertThat(listKeys("dir")).containsExactlyInAnyOrder("dir/file1", "dir/fig/x", "dir/other", "dirt/y");
        assertThat(listKeys("dir/file1")).containsExactly("dir/file1");
        assertThat(listKeys("d")).hasSize(5);
    }

    @Test
    void listOfAPrefixWithoutObjectsReportsNothing() {
        store.putBytes("a/b", bytes("x"));

        assertThat(listKeys("nothing/")).isEmpty();
        assertThat(listKeys("a/b/")).isEmpty();
        assertThat(listKeys("a/c")).isEmpty();
    }

    @Test
    void listReportsThousandsOfKeysUnderAPrefix() {
        List<String> keys = IntStream.range(0, 2_500)
                .mapToObj(i -> String.format("many/f%02d/k%04d", i % 25, i)).collect(Collectors.toList());
        keys.forEach(k -> store.putBytes(k, bytes("v")));
        store.putBytes("other/k", bytes("v"));

        assertThat(listKeys("many/")).hasSize(2_500).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(listKeys("many/f07/")).hasSize(100);
    }

    @ParameterizedTest
    @MethodSource("invalidPrefixes")
    void listRejectsAPrefixNoKeyCanStartWith(String prefix) {
        store.putBytes("a/b", bytes("x"));

        assertThatThrownBy(() -> store.list(prefix, i -> { })).isInstanceOf(InvalidArgumentException.class);
    }

    // ---- delete -------------------------------------------------------------------------------

    @Test
    void deleteRemovesTheObjectAndReturnsTrue() {
        store.putBytes("d/x", bytes("x"));
        store.putBytes("d/y", bytes("y"));

        assertThat(store.delete("d/x")).isTrue();

        assertThat(store.stat("d/x")).isEmpty();
        assertThatThrownBy(() -> store.open("d/x")).isInstanceOf(StoreException.class);
        assertThat(listKeys("")).containsExactly("d/y");
    }

    @Test
    void deleteOfAnAbsentKeyReturnsFalse() {
        store.putBytes("d/x", bytes("x"));

        assertThat(store.delete("d/nothing")).isFalse();
        assertThat(store.delete("nowhere/nothing")).isFalse();
        assertThat(store.delete("d")).isFalse();
        assertThat(store.delete("d/x/below")).isFalse();
        assertThat(listKeys("")).containsExactly("d/x");
    }

    @Test
    void deletingTwiceReturnsTrueThenFalse() {
        store.putBytes("twice", bytes("x"));

        assertThat(store.delete("twice")).isTrue();
        assertThat(store.delete("twice")).isFalse();
    }

    @Test
    void deleteBatchReportsDeletedAndAbsentKeys() {
        store.putBytes("b/1", bytes("1"));
        store.putBytes("b/c/2", bytes("2"));
        store.putBytes("b/keep", bytes("k"));

        List<DeleteOutcome> outcomes = store.deleteBatch(List.of("b/1", "b/c/2", "b/absent", "nowhere/x", "b"));

        assertThat(statusByKey(outcomes)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "b/1", Status.DELETED, "b/c/2", Status.DELETED, "b/absent", Status.ABSENT,
                "nowhere/x", Status.ABSENT, "b", Status.ABSENT));
        assertThat(outcomes).allSatisfy(o -> assertThat(o.gone()).isTrue());
        assertThat(listKeys("")).containsExactly("b/keep");
    }

    @Test
    void deleteBatchOfNoKeysReturnsNoOutcomes() {
        assertThat(store.deleteBatch(List.of())).isEmpty();
    }

    @Test
    void deleteBatchDeletesThousandsOfKeys() {
        List<String> keys = IntStream.range(0, 2_500)
                .mapToObj(i -> String.format("bulk/t%03d/k%04d", i % 100, i)).collect(Collectors.toList());
        keys.forEach(k -> store.putBytes(k, bytes("v")));
        store.putBytes("survivor", bytes("s"));

        List<DeleteOutcome> outcomes = store.deleteBatch(keys);

        assertThat(outcomes).hasSize(2_500).allSatisfy(o -> assertThat(o.status()).isEqualTo(Status.DELETED));
        assertThat(outcomes).extracting(DeleteOutcome::key).containsExactlyInAnyOrderElementsOf(keys);
        assertThat(listKeys("")).containsExactly("survivor");
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void deleteBatchReportsAnInvalidKeyAsFailedAndDeletesTheValidOnes(String invalid) {
        store.putBytes("v/1", bytes("1"));
        store.putBytes("v/2", bytes("2"));

        List<DeleteOutcome> outcomes = store.deleteBatch(Arrays.asList("v/1", invalid, "v/2"));

        assertThat(outcomes).hasSize(3);
        DeleteOutcome bad = outcomes.stream().filter(o -> invalid.equals(o.key())).findFirst().orElseThrow();
        assertThat(bad.status()).isEqualTo(Status.FAILED);
        assertThat(bad.error()).isNotBlank();
        assertThat(outcomes).filteredOn(o -> !invalid.equals(o.key()))
                .extracting(DeleteOutcome::status).containsOnly(Status.DELETED);
        assertThat(listKeys("")).isEmpty();
    }

    @Test
    void emptiedPrefixesLeaveNothingBehind() {
        List.of("job/1/a/x", "job/1/a/y", "job/1/b/c/z", "job/2/w").forEach(k -> store.putBytes(k, bytes(k)));

        store.deleteBatch(List.of("job/1/a/x", "job/1/a/y"));
        store.delete("job/1/b/c/z");

        assertThat(listKeys("job/1")).isEmpty();
        assertThat(listKeys("job/1/")).isEmpty();
        assertThat(listKeys("job/")).containsExactly("job/2/w");
        assertThat(store.stat("job/1/a/x")).isEmpty();
    }

    @Test
    void aKeyCanBeStoredAgainAfterItsPrefixWasEmptied() {
        store.putBytes("again/deep/x", bytes("1"));
        store.deleteBatch(List.of("again/deep/x"));

        store.putBytes("again/deep/x", bytes("2"));

        assertThat(read("again/deep/x")).isEqualTo(bytes("2"));
    }

    @Test
    void putsRacingABatchDeleteOfTheirFolderAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 15; round++) {
                String folder = "race/r" + round + "/";
                List<String> old = IntStream.range(0, 40).mapToObj(i -> folder + "old" + i).collect(Collectors.toList());
                old.forEach(k -> store.putBytes(k, bytes("o")));
                Future<List<DeleteOutcome>> deletes = pool.submit(() -> store.deleteBatch(old));
                Future<?> puts = pool.submit(() -> IntStream.range(0, 20).forEach(i -> store.putBytes(folder + "new" + i, bytes("n"))));

                assertThat(deletes.get(1, TimeUnit.MINUTES)).extracting(DeleteOutcome::status).containsOnly(Status.DELETED);
                puts.get(1, TimeUnit.MINUTES);
                assertThat(listKeys(folder)).as("round %d", round).hasSize(20).allMatch(k -> k.startsWith(folder + "new"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- invalid keys -------------------------------------------------------------------------

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void putBytesRejectsAnInvalidKeyAndChangesNothing(String key) {
        List<String> before = seedAndList();

        assertThatThrownBy(() -> store.putBytes(key, bytes("x"))).isInstanceOf(InvalidArgumentException.class);

        assertThat(listKeys("")).isEqualTo(before);
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void putFileRejectsAnInvalidKeyAndChangesNothing(String key) throws IOException {
        List<String> before = seedAndList();
        Path source = scratchFile("src", bytes("x"));

        assertThatThrownBy(() -> store.putFile(key, source, true)).isInstanceOf(InvalidArgumentException.class);

        assertThat(listKeys("")).isEqualTo(before);
        assertThat(source).exists();
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void readsRejectAnInvalidKey(String key) {
        seedAndList();

        assertThatThrownBy(() -> store.open(key)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.stat(key)).isInstanceOf(InvalidArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("invalidKeys")
    void deleteRejectsAnInvalidKeyAndChangesNothing(String key) {
        List<String> before = seedAndList();

        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(InvalidArgumentException.class);

        assertThat(listKeys("")).isEqualTo(before);
    }

    @Test
    void aNullKeyIsRejected() {
        assertThatThrownBy(() -> store.putBytes(null, bytes("x"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.delete(null)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.stat(null)).isInstanceOf(InvalidArgumentException.class);
    }

    @Test
    void describeNamesTheStore() {
        assertThat(store.describe()).isNotBlank();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Stores a few objects around the places invalid keys point at; returns the sorted key list. */
    private List<String> seedAndList() {
        List.of("x", "a/b", "a/x", "abs", "seed/keep").forEach(k -> store.putBytes(k, bytes(k)));
        return listKeys("");
    }

    /** Sorted keys of the objects under {@code prefix}. */
    // ---- the root's identity marker ------------------------------------------------------------

    @Test
    void aNewRootHasNoMarkerAndNoEntries() {
        assertThat(store.readRootMarker()).isEmpty();
        assertThat(store.rootEntries(10)).isEmpty();
    }

    @Test
    void theMarkerIsWrittenOnceAndNeverReplaced() {
        assertThat(store.createRootMarker("{\"first\": true}")).isTrue();
        assertThat(store.createRootMarker("{\"second\": true}")).isFalse();

        assertThat(store.readRootMarker()).contains("{\"first\": true}");
    }

    @Test
    void theMarkerIsNoObjectAndNoEntry() {
        store.createRootMarker("marker");

        assertThat(listKeys("")).isEmpty();
        assertThat(listKeys(".")).isEmpty();
        assertThat(store.rootEntries(10)).isEmpty();
    }

    @Test
    void noKeyOperationReachesTheMarker() throws IOException {
        store.createRootMarker("marker");
        String name = RootMarker.NAME;
        Path source = scratchFile("s.bin", bytes("x"));

        assertThatThrownBy(() -> store.putBytes(name, bytes("x"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.putFile(name, source, false)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.open(name)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.stat(name)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(InvalidArgumentException.class);
        assertThat(store.deleteBatch(List.of(name))).singleElement()
                .satisfies(o -> assertThat(o.status()).isEqualTo(Status.FAILED));

        assertThat(store.readRootMarker()).contains("marker");
    }

    @Test
    void noKeyMayStartWithTheReservedPrefix() {
        for (String key : List.of(".reclaim", ".reclaim-root", ".reclaim-probe/x", ".reclaimed/x")) {
            assertThatThrownBy(() -> store.putBytes(key, bytes("x"))).as(key).isInstanceOf(InvalidArgumentException.class)
                    .hasMessageContaining(".reclaim");
        }
        store.putBytes("a/.reclaim-root", bytes("deeper down it is a name like any other"));
        assertThat(listKeys("")).containsExactly("a/.reclaim-root");
    }

    @Test
    void rootEntriesNameWhatIsAtTheTopFoldersWithASlash() {
        store.createRootMarker("marker");
        store.putBytes("tasks/t1/artifacts/a.bin", bytes("a"));
        store.putBytes("readme.txt", bytes("b"));

        assertThat(store.rootEntries(10)).containsExactlyInAnyOrder("tasks/", "readme.txt");
        assertThat(store.rootEntries(1)).hasSize(1);
    }

    protected List<String> listKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, i -> keys.add(i.key()));
        keys.sort(null);
        return keys;
    }

    /** The whole content of an object. */
    protected byte[] read(String key) {
        try (InputStream in = store.open(key)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected Path scratchFile(String name, byte[] content) throws IOException {
        return Files.write(scratch.resolve(name), content);
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] uniform(int value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static Map<String, Status> statusByKey(List<DeleteOutcome> outcomes) {
        return outcomes.stream().collect(Collectors.toMap(DeleteOutcome::key, DeleteOutcome::status));
    }
}
