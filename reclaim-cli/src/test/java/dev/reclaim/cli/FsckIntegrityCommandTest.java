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
        // the damaged store's root is its own (marked when it was used), so only the damage can stop fsck
        CorruptedSqliteFile.write(cli.home().resolve("reclaim.db"), cli.artifacts(), cli.staging());
        // with the records unreadable, what looks like an orphan may be recorded: it must stay
        Path kept = cli.artifacts().resolve("tasks/019b76daa800ffffffffffffffff/artifacts/kept.bin");
        Files.createDirectories(kept.getParent());
        Files.writeString(kept, "x");

        Cli.Run found = cli.run("fsck");
        assertThat(found.exitCode()).as(found.toString()).isEqualTo(1);
        assertThat(found.out()).contains("damaged database: ");
        assertThat(found.err()).contains("the database is damaged", "restore it from a backup");

        Cli.Run repaired = cli.run("fsck", "--repair");
        assertThat(repaired.exitCode()).as(repaired.toString()).isEqualTo(1);
        assertThat(repaired.err()).contains("nothing was repaired");
        assertThat(kept).hasContent("x");
    }
}
