package dev.reclaim.store.fs;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.testkit.ArtifactStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ArtifactStoreContract} for the path-checked fallback (platforms without secure directory streams). */
class PathCheckedFileArtifactStoreContractTest extends ArtifactStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ArtifactStore newStore() {
        return FileArtifactStore.builder(dir.resolve("artifacts")).pathCheckedFallback().open();
    }

    @Test
    void theFallbackIsInUse() {
        assertThat(((FileArtifactStore) store).usesSecureDirectoryStreams()).isFalse();
    }
}
