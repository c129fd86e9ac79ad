package dev.reclaim.s3;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.DeleteOutcome;
import dev.reclaim.store.DeleteOutcome.Status;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What S3 adds to the contract: request counts, prefix isolation, the access check, S3's key limit. */
class S3ArtifactStoreTest {
    private final S3ProxyFixture s3 = S3ProxyFixture.shared();
    private final RequestCounter requests = new RequestCounter();
    private final List<S3ArtifactStore> stores = new ArrayList<>();
    private String bucket;
    private S3ArtifactStore store;

    @BeforeEach
    void openStore() {
        bucket = s3.newBucket();
        store = track(s3.store(bucket, "tenant/reclaim").addExecutionInterceptor(requests).build());
    }

    @AfterEach
    void closeStores() {
        stores.forEach(S3ArtifactStore::close);
    }

    @Test
    void theMarkerIsAnObjectUnderThePrefixAndFolderMarkersOrProbesOfOthersAreNoEntries() {
        s3.putRaw(bucket, "tenant/reclaim/"); // a folder marker another tool made
        s3.putRaw(bucket, "tenant/reclaim/" + S3ArtifactStore.PROBE_FOLDER + "/left-by-a-crash");
        s3.putRaw(bucket, "tenant/reclaimer/x"); // a neighbour sharing the prefix's first characters

        assertThat(store.rootEntries(10)).isEmpty();
        assertThat(store.createRootMarker("mine")).isTrue();

        assertThat(s3.rawKeys(bucket)).contains("tenant/reclaim/.reclaim-root");
        assertThat(store.readRootMarker()).contains("mine");
        assertThat(store.rootEntries(10)).isEmpty();
    }

    @Test
    void theAccessProbeIsNoStorageKey() {
        store.verifyAccess();

        assertThat(s3.rawKeys(bucket)).isEmpty();
    }

    @Test
    void deleteBatchOf2500KeysSendsThreeDeleteObjectsRequestsAndDeletesEveryKey() {
        List<String> keys = putMany("bulk/", 2_500);
        requests.reset();

        List<DeleteOutcome> outcomes = store.deleteBatch(keys);

        assertThat(outcomes).hasSize(2_500).allSatisfy(o -> assertThat(o.status()).isEqualTo(Status.DELETED));
        assertThat(requests.count("DeleteObjects")).isEqualTo(3);
        assertThat(requests.count("ListObjectsV2")).as("one list page per chunk tells DELETED from ABSENT").isEqualTo(3);
        assertThat(requests.count("DeleteObject")).isZero();
        assertThat(requests.count("HeadObject")).isZero();
        assertThat(s3.rawKeys(bucket)).isEmpty();
    }

    @Test
    void deleteBatchTellsDeletedFromAbsentAmongObjectsItDoesNotDelete() {
        // even keys exist, odd ones do not; "keep" objects sit between the keys and must survive
        for (int i = 0; i < 3_000; i += 2) {
            store.putBytes(String.format("mix/k%04d", i), bytes("v"));
            store.putBytes(String.format("mix/k%04d-keep", i + 1), bytes("v"));
        }
        List<String> keys = IntStream.range(0, 3_000).mapToObj(i -> String.format("mix/k%04d", i)).toList();

        Map<String, Status> outcome = store.deleteBatch(keys).stream()
                .collect(Collectors.toMap(DeleteOutcome::key, DeleteOutcome::status));

        assertThat(outcome).hasSize(3_000);
        keys.forEach(k -> assertThat(outcome.get(k)).as(k)
                .isEqualTo(Integer.parseInt(k.substring(5)) % 2 == 0 ? Status.DELETED : Status.ABSENT));
        assertThat(listKeys("mix/")).hasSize(1_500).allMatch(k -> k.endsWith("-keep"));
    }

    @Test
    void listingOf2500KeysStreamsEveryOneOverSeveralPages() {
        List<String> keys = putMany("many/", 2_500);
        requests.reset();
        AtomicInteger seen = new AtomicInteger();

        store.list("many/", info -> {
            assertThat(info.sizeBytes()).isEqualTo(1);
            seen.incrementAndGet();
        });

        assertThat(seen).hasValue(2_500);
        assertThat(requests.count("ListObjectsV2")).isEqualTo(3);
        assertThat(listKeys("")).containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void objectsOutsideThePrefixAreNeverListedReadOrDeleted() {
        List<String> outside = List.of("tenant/reclaimer/a", "tenant/a", "other/tenant/reclaim/a", "a");
        outside.forEach(k -> s3.putRaw(bucket, k));
        store.putBytes("a", bytes("mine"));

        assertThat(listKeys("")).containsExactly("a");
        assertThat(store.stat("a")).hasValueSatisfying(i -> assertThat(i.sizeBytes()).isEqualTo(4));
        assertThat(store.deleteBatch(List.of("a", "tenant/a", "reclaimer/a"))).extracting(DeleteOutcome::status)
                .containsExactlyInAnyOrder(Status.DELETED, Status.ABSENT, Status.ABSENT);
        assertThat(store.delete("a")).isFalse();

        assertThat(s3.rawKeys(bucket)).containsExactlyInAnyOrderElementsOf(outside);
    }

    @Test
    void noFolderMarkerIsEverCreatedSoAnEmptiedPrefixLeavesNoObject() {
        store.putBytes("job/1/a/x", bytes("x"));
        store.putBytes("job/1/b", bytes("b"));
        assertThat(s3.rawKeys(bucket)).containsExactly("tenant/reclaim/job/1/a/x", "tenant/reclaim/job/1/b");

        store.deleteBatch(List.of("job/1/a/x"));
        store.delete("job/1/b");

        assertThat(s3.rawKeys(bucket)).isEmpty();
    }

    @Test
    void listingSkipsObjectsUnderThePrefixThatAreNotStorageKeys() {
        s3.putRaw(bucket, "tenant/reclaim/folder/"); // a folder marker another tool made
        s3.putRaw(bucket, "tenant/reclaim/a\\b"); // S3 allows it, storage keys do not
        store.putBytes("folder/x", bytes("x"));

        assertThat(listKeys("")).containsExactly("folder/x");
    }

    @Test
    void aKeyTooLongForS3WithThePrefixFailsToStoreAndIsAbsentOtherwise() {
        String key = "k/" + "x".repeat(1_010); // valid storage key, but prefix + key > 1,024 bytes

        assertThatThrownBy(() -> store.putBytes(key, bytes("x"))).isInstanceOf(StoreException.class)
                .hasMessageContaining("1024 bytes");
        assertThat(store.stat(key)).isEmpty();
        assertThat(store.delete(key)).isFalse();
        assertThat(store.deleteBatch(List.of(key))).extracting(DeleteOutcome::status).containsExactly(Status.ABSENT);
    }

    @Test
    void aStoreAtTheBucketRootHoldsKeysOfTheFullLength() {
        S3ArtifactStore root = track(s3.store(bucket, "").build());
        String key = String.join("/", "a".repeat(204), "b".repeat(204), "c".repeat(204), "d".repeat(204), "e".repeat(204));

        root.putBytes(key, bytes("max"));

        assertThat(s3.rawKeys(bucket)).containsExactly(key);
        assertThat(root.describe()).isEqualTo("s3://" + bucket);
        assertThat(root.delete(key)).isTrue();
    }

    @Test
    void verifyAccessPassesAndLeavesNoProbeObjectBehind() {
        store.verifyAccess();

        assertThat(requests.count("HeadBucket")).isEqualTo(1);
        assertThat(requests.count("PutObject")).isEqualTo(1);
        assertThat(requests.count("DeleteObject")).isEqualTo(1);
        assertThat(s3.rawKeys(bucket)).isEmpty();
    }

    @Test
    void verifyAccessNamesAMissingBucketAndTheEndpoint() {
        S3ArtifactStore missing = track(s3.store("no-such-bucket-here", "p").build());

        assertThatThrownBy(missing::verifyAccess).isInstanceOf(StoreException.class)
                .hasMessageContaining("no-such-bucket-here")
                .hasMessageContaining(s3.endpoint().toString())
                .hasMessageContaining("no such bucket")
                .hasMessageContaining("create the bucket");
    }

    @Test
    void verifyAccessSaysBadCredentialsWereRefused() {
        S3ArtifactStore wrong = track(s3.store(bucket, "p").credentials(S3ProxyFixture.ACCESS_KEY, "not-the-secret").build());

        assertThatThrownBy(wrong::verifyAccess).isInstanceOf(StoreException.class)
                .hasMessageContaining(bucket)
                .hasMessageContaining("access denied")
                .hasMessageContaining("check the credentials");
    }

    @Test
    void verifyAccessSaysAnEndpointIsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        S3ArtifactStore nowhere = track(S3ArtifactStore.builder().bucket(bucket).pathStyleAccess(true).maxAttempts(2)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort)).credentials("a", "b").build());

        assertThatThrownBy(nowhere::verifyAccess).isInstanceOf(StoreException.class)
                .hasMessageContaining("127.0.0.1:" + closedPort)
                .hasMessageContaining("unreachable");
    }

    @Test
    void aBucketThatDoesNotExistIsAnErrorNeverAnAbsentObject() {
        S3ArtifactStore missing = track(s3.store("no-such-bucket-" + bucket, "p").build());

        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> missing.stat("tasks/a/x.bin"), () -> missing.open("tasks/a/x.bin"), () -> missing.delete("tasks/a/x.bin"),
                () -> missing.list("", o -> { }), missing::readRootMarker)) {
            assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageContaining("no such bucket")
                    .hasMessageContaining("no-such-bucket-" + bucket);
        }
    }

    @Test
    void anEndpointThatStoppedAnsweringIsAnErrorNeverAnAbsentObject() throws IOException {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        S3ArtifactStore nowhere = track(S3ArtifactStore.builder().bucket(bucket).pathStyleAccess(true).maxAttempts(1)
                .endpointOverride(URI.create("http://127.0.0.1:" + closedPort)).credentials("a", "b").build());

        for (ThrowingCallable call : List.<ThrowingCallable>of(
                () -> nowhere.stat("tasks/a/x.bin"), () -> nowhere.open("tasks/a/x.bin"), () -> nowhere.delete("tasks/a/x.bin"),
                () -> nowhere.list("", o -> { }), nowhere::readRootMarker)) {
            assertThatThrownBy(call).isInstanceOf(StoreException.class).hasMessageContaining("unreachable");
        }
    }

    @Test
    void openOfAMissingKeyNamesTheKeyAndTheStore() {
        assertThatThrownBy(() -> store.open("job/9/missing")).isInstanceOf(StoreException.class)
                .hasMessageContaining("job/9/missing").hasMessageContaining("s3://" + bucket + "/tenant/reclaim");
    }

    @Test
    void builderRefusesBadSettingsAsTheyAreSet() {
        assertThatThrownBy(() -> S3ArtifactStore.builder().bucket("Bad_Bucket")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().prefix("a/../b")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().endpointOverride(URI.create("ftp://host"))).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().maxAttempts(0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().deleteConcurrency(0)).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().credentials("key", "")).isInstanceOf(InvalidArgumentException.class);
        assertThatThrownBy(() -> S3ArtifactStore.builder().build()).isInstanceOf(InvalidArgumentException.class)
                .hasMessageContaining("bucket");
    }

    @Test
    void thePrefixIsNormalised() {
        S3ArtifactStore slashes = track(s3.store(bucket, "/tenant/reclaim/").build());

        assertThat(slashes.describe()).isEqualTo("s3://" + bucket + "/tenant/reclaim");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private S3ArtifactStore track(S3ArtifactStore s) {
        stores.add(s);
        return s;
    }

    /** Puts {@code n} one-byte objects under {@code folder} straight through the SDK (fast), returns their keys. */
    private List<String> putMany(String folder, int n) {
        List<String> keys = IntStream.range(0, n).mapToObj(i -> String.format("%sf%02d/k%04d", folder, i % 25, i)).toList();
        keys.parallelStream().forEach(k -> s3.admin().putObject(r -> r.bucket(bucket).key("tenant/reclaim/" + k),
                RequestBody.fromBytes(new byte[]{1})));
        return keys;
    }

    private List<String> listKeys(String prefix) {
        List<String> keys = new ArrayList<>();
        store.list(prefix, i -> keys.add(i.key()));
        keys.sort(null);
        return keys;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
