package dev.reclaim.jdbc;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.store.fs.FileArtifactStore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** SQLite's own damage (PRAGMA quick_check) reaches fsck, and fsck then repairs nothing. */
class SqliteIntegrityTest {
    @TempDir
    Path tmp;

    @Test
    void quickCheckFindsTheDamageOfAFileWithOverwrittenPages() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        CorruptedSqliteFile.write(db);
        try (JdbcTaskStore store = JdbcTaskStore.openSqlite(db)) {
            assertThat(store.integrityProblems()).isNotEmpty().hasSizeLessThanOrEqualTo(100);
        }
    }

    @Test
    void fsckReportsTheDamageAndRepairsNothingOnADamagedDatabase() throws Exception {
        Path db = tmp.resolve("reclaim.db");
        Path artifacts = tmp.resolve("artifacts");
        CorruptedSqliteFile.write(db, artifacts, tmp.resolve("staging"));
        try (Reclaim reclaim = Reclaim.builder().taskStore(JdbcTaskStore.openSqlite(db))
                .artifactStore(FileArtifactStore.open(artifacts)).stagingRoot(tmp.resolve("staging")).build()) {
            // looks like an orphan; with the records unreadable it may not be one, so it must stay
            reclaim.artifactStore().putBytes("tasks/x/artifacts/kept.bin", new byte[] {1});

            FsckReport found = reclaim.fsck().check();
            assertThat(found.integrityProblems()).isNotEmpty();
            assertThat(found.consistent()).isFalse();

            FsckReport repaired = reclaim.fsck().repair();
            assertThat(repaired.integrityProblems()).isNotEmpty();
            assertThat(repaired.consistent()).isFalse();
            assertThat(Files.readAllBytes(artifacts.resolve("tasks/x/artifacts/kept.bin"))).containsExactly(1);
        }
    }
}
