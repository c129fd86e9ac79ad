package dev.reclaim.cli;

import dev.reclaim.jdbc.CorruptedSqliteFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code reclaim fsck} on a damaged SQLite file: says so, exits 1, and {@code --repair} deletes nothing. */
class FsckIntegrityCommandTest {
    @TempDir
    Path tmp;

    @Test
    void fsckReportsADamagedDatabaseExitsOneAndRepairTouchesNothing() throws Exception {
        Cli cli = new Cli(tmp.resolve("home"));
        Files.createDirectories(cli.home());
        CorruptedSqliteFile.write(cli.home().resolve("reclaim.db"));
        Files.createDirectories(cli.artifacts().resolve("stray"));
        Files.writeString(cli.artifacts().resolve("stray/kept.bin"), "x");

        Cli.Run found = cli.run("fsck");
        assertThat(found.exitCode()).as(found.toString()).isEqualTo(1);
        assertThat(found.out()).contains("damaged database: ");
        assertThat(found.err()).contains("the database is damaged", "restore it from a backup");

        Cli.Run repaired = cli.run("fsck", "--repair");
        assertThat(repaired.exitCode()).as(repaired.toString()).isEqualTo(1);
        assertThat(repaired.err()).contains("nothing was repaired");
        assertThat(cli.artifacts().resolve("stray/kept.bin")).hasContent("x");
    }
}
