package dev.reclaim.store;

import dev.reclaim.store.fs.FileArtifactStore;
import dev.reclaim.testkit.ArtifactStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

/** The {@link ArtifactStoreContract} for {@link MountedStores}: with plain keys it is its default root. */
class MountedStoresContractTest extends ArtifactStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ArtifactStore newStore() {
        return MountedStores.of(FileArtifactStore.open(dir.resolve("artifacts")),
                Map.of("ckpt", FileArtifactStore.open(dir.resolve("checkpoints"))));
    }
}
