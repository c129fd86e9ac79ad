package dev.reclaim.store;

import dev.reclaim.InvalidArgumentException;
import dev.reclaim.StoreException;
import dev.reclaim.store.DeleteOutcome.Status;
import dev.reclaim.store.fs.FileArtifactStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Routing by recorded key in {@link MountedStores}, on real folders. */
class MountedStoresTest {
    @TempDir
    Path dir;
    private MountedStores stores;

    @BeforeEach
    void open() throws IOException {
        Files.createDirectories(dir.resolve("ckpt/runs"));
        Files.writeString(dir.resolve("ckpt/runs/a.pt"), "aaa");
        Files.writeString(dir.resolve("ckpt/b.pt"), "bb");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(dir.resolve("data/c.csv"), "c");
        stores = MountedStores.of(FileArtifactStore.open(dir.resolve("artifacts")),
                Map.of("ckpt", FileArtifactStore.open(dir.resolve("ckpt")), "data", FileArtifactStore.open(dir.resolve("data"))));
        stores.putBytes("tasks/t/x", "x".getBytes(StandardCharsets.UTF_8));
    }

    @AfterEach
    void close() {
        stores.close();
    }

    @Test
    void aMountedKeyReadsTheObjectOfItsStore() throws IOException {
        assertThat(stores.stat(".reclaim-stores/ckpt/runs/a.pt")).hasValueSatisfying(o -> {
            assertThat(o.key()).isEqualTo(".reclaim-stores/ckpt/runs/a.pt");
            assertThat(o.sizeBytes()).isEqualTo(3);
        });
        try (InputStream in = stores.open(".reclaim-stores/data/c.csv")) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("c");
        }
        assertThat(stores.stat(".reclaim-stores/ckpt/nothing")).isEmpty();
        assertThat(stores.stat("tasks/t/x")).isPresent();
    }

    @Test
    void listingEverythingListsTheDefaultRootThenEachStoreWithPrefixedKeys() {
        assertThat(keys("")).containsExactly("tasks/t/x", ".reclaim-stores/ckpt/b.pt", ".reclaim-stores/ckpt/runs/a.pt",
                ".reclaim-stores/data/c.csv");
    }

    @Test
    void aPrefixInsideAStoreListsOnlyThatStore() {
        assertThat(keys(".reclaim-stores/ckpt/")).containsExactly(".reclaim-stores/ckpt/b.pt", ".reclaim-stores/ckpt/runs/a.pt");
        assertThat(keys(".reclaim-stores/ckpt/runs/")).containsExactly(".reclaim-stores/ckpt/runs/a.pt");
        assertThat(keys(".reclaim-stores/")).hasSize(3);
        assertThat(keys("tasks/")).containsExactly("tasks/t/x");
    }

    @Test
    void listingAStoreThatIsNotOpenFailsRatherThanListNothing() {
        assertThatThrownBy(() -> keys(".reclaim-stores/gone/")).isInstanceOf(StoreException.class)
                .hasMessageContaining("'gone' is not open");
    }

    @Test
    void aBatchIsDeletedPerStoreAndAnsweredByRecordedKeyInOrder() {
        List<DeleteOutcome> out = stores.deleteBatch(List.of(".reclaim-stores/ckpt/runs/a.pt", "tasks/t/x",
                ".reclaim-stores/data/none", ".reclaim-stores/gone/a", ".reclaim-stores/ckpt/b.pt"));

        assertThat(out).extracting(DeleteOutcome::key).containsExactly(".reclaim-stores/ckpt/runs/a.pt", "tasks/t/x",
                ".reclaim-stores/data/none", ".reclaim-stores/gone/a", ".reclaim-stores/ckpt/b.pt");
        assertThat(out).extracting(DeleteOutcome::status).containsExactly(Status.DELETED, Status.DELETED, Status.ABSENT,
                Status.FAILED, Status.DELETED);
        assertThat(dir.resolve("ckpt/b.pt")).doesNotExist();
        assertThat(dir.resolve("data/c.csv")).exists();
    }

    @Test
    void aStoreThatIsNotOpenIsNeverTakenForAnAbsentObject() {
        assertThatThrownBy(() -> stores.stat(".reclaim-stores/gone/a")).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> stores.delete(".reclaim-stores/gone/a")).isInstanceOf(StoreException.class);
    }

    @Test
    void putsToAMountedKeyAreRefused() throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "f");
        assertThatThrownBy(() -> stores.putBytes(".reclaim-stores/ckpt/new", new byte[1]))
                .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("never writes into a registered store");
        assertThatThrownBy(() -> stores.putFile(".reclaim-stores/ckpt/new", f, false))
                .isInstanceOf(InvalidArgumentException.class);
        assertThat(dir.resolve("ckpt/new")).doesNotExist();
    }

    @Test
    void theMarkerAndTheTopOfTheRootAreTheDefaultRoots() {
        assertThat(stores.createRootMarker("m")).isTrue();
        assertThat(stores.readRootMarker()).contains("m");
        assertThat(dir.resolve("artifacts/" + RootMarker.NAME)).exists();
        assertThat(dir.resolve("ckpt/" + RootMarker.NAME)).doesNotExist();
        assertThat(stores.rootEntries(10)).containsExactly("tasks/");
    }

    @Test
    void describeNamesTheDefaultRootAndEachStore() {
        assertThat(stores.describe()).startsWith("file:").contains("(stores: ckpt=file:").contains(" data=file:");
    }

    @Test
    void storesThatOverlapAreRefused() {
        try (FileArtifactStore outer = FileArtifactStore.open(dir);
             FileArtifactStore inner = FileArtifactStore.open(dir.resolve("data"));
             FileArtifactStore root = FileArtifactStore.open(dir.resolve("artifacts"))) {
            assertThatThrownBy(() -> MountedStores.of(root, Map.of("all", outer))).isInstanceOf(RootRefusedException.class)
                    .hasMessageContaining("overlaps the default artifact root");
            assertThatThrownBy(() -> MountedStores.of(root, Map.of("ckpt", inner, "data", inner)))
                    .isInstanceOf(RootRefusedException.class);
        }
        assertThat(StoreLocations.overlap("s3://b/p", "s3://b/p/q")).isTrue();
        assertThat(StoreLocations.overlap("s3://b", "s3://b/p")).isTrue();
        assertThat(StoreLocations.overlap("s3://b/p", "s3://b/pq")).isFalse();
        assertThat(StoreLocations.overlap("file:/a/b", "file:/a/bc")).isFalse();
    }

    private List<String> keys(String prefix) {
        List<String> keys = new ArrayList<>();
        stores.list(prefix, o -> keys.add(o.key()));
        List<String> defaults = keys.stream().filter(k -> !StorageKeys.isMounted(k)).toList();
        List<String> mounted = keys.stream().filter(StorageKeys::isMounted).sorted().toList();
        List<String> out = new ArrayList<>(defaults);
        out.addAll(mounted);
        return out;
    }
}
