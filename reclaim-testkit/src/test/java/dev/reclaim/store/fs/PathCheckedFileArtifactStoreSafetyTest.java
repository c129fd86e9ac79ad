package dev.reclaim.store.fs;

import java.nio.file.Path;

/**
 * {@link FileArtifactStoreSafetyTest} on the path-checked fallback: every link in place when an
 * operation runs must be refused there too.
 */
class PathCheckedFileArtifactStoreSafetyTest extends FileArtifactStoreSafetyTest {
    @Override
    FileArtifactStore open(Path dir) {
        return FileArtifactStore.builder(dir).syncWrites(false).pathCheckedFallback().open();
    }
}
