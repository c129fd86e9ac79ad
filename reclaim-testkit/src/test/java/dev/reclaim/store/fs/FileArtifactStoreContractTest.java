package dev.reclaim.store.fs;

import dev.reclaim.store.ArtifactStore;
import dev.reclaim.testkit.ArtifactStoreContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link ArtifactStoreContract} for {@link FileArtifactStore} with its default settings. */
class FileArtifactStoreContractTest extends ArtifactStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ArtifactStore newStore() {
        return FileArtifactStore.open(dir.resolve("artifacts"));
    }

    @Test
    void describeIsFileAndTheAbsoluteRoot() throws IOException {
        assertThat(store.describe()).isEqualTo("file:" + dir.resolve("artifacts").toRealPath());
    }
}
