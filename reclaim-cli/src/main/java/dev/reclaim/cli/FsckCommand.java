package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.fsck.WriteFindings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reclaim fsck [--repair] [--verify-checksums]}. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Checks that metadata and stored objects agree: orphan objects (named by no record), dangling "
                + "records (object missing), stuck deletions, objects whose size (or, with --verify-checksums, SHA-256) "
                + "is not the recorded one, and uploads abandoned more than an hour ago (PENDING records, temp files).",
                "Changes nothing unless --repair: then orphans are deleted, dangling records removed, stuck "
                        + "deletions finished and abandoned uploads removed. A size or checksum mismatch is only "
                        + "reported: the record and the object are both kept as evidence.",
                "Exits 0 when all is consistent (after repair, with --repair), 1 when a problem remains."},
        footerHeading = "%nExamples:%n", footer = {"  reclaim fsck", "  reclaim fsck --repair", "  reclaim fsck --verify-checksums"})
final class FsckCommand extends HomeCommand {
    @Option(names = "--repair", description = "Fix what is found (never automatic).")
    boolean repair;

    @Option(names = "--verify-checksums", description = "Also read every object that has a recorded checksum and compare "
            + "its SHA-256 (as slow as reading the whole store); sizes are always compared.")
    boolean verifyChecksums;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Fsck fsck = verifyChecksums ? new Fsck(reclaim).verifyingChecksums() : new Fsck(reclaim);
        FsckReport found = fsck.check();
        print("found", found);
        if (repair && !found.consistent()) {
            FsckReport after = fsck.repair();
            print("after repair", after);
            return after.consistent() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        if (!found.consistent() && !repair) {
            err().println("run 'reclaim" + homeOption(home) + " fsck --repair' to fix these");
        }
        return found.consistent() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private void print(String heading, FsckReport r) {
        out().printf("%s: %d object(s) and %d live record(s) checked; %d orphan(s), %d dangling record(s), "
                        + "%d stuck deletion(s), %d failing queue entr(ies)%n", heading, r.objectsScanned(), r.recordsScanned(),
                r.orphanCount(), r.danglingCount(), r.stuckDeletions().size(), r.failingQueue().size());
        r.orphans().forEach(o -> out().println("  orphan object " + o));
        r.dangling().forEach(d -> out().println("  dangling record " + d));
        r.stuckDeletions().forEach(s -> out().println("  stuck deletion of task " + s));
        r.failingQueue().forEach(f -> out().println("  failing delete " + f));
        printWrites(r.writes());
    }

    private void printWrites(WriteFindings w) {
        if (w.checksumsVerified() || !w.consistent()) {
            out().printf("  %d size mismatch(es), %d checksum mismatch(es)%s, %d abandoned upload(s), %d interrupted "
                            + "write(s) (%d bytes)%n", w.sizeMismatchCount(), w.checksumMismatchCount(),
                    w.checksumsVerified() ? " (" + w.checksumsChecked() + " checksum(s) verified)" : "",
                    w.abandonedUploadCount(), w.interruptedWriteCount(), w.interruptedWriteBytes());
        }
        w.sizeMismatches().forEach(m -> out().println("  size mismatch " + m));
        w.checksumMismatches().forEach(m -> out().println("  checksum mismatch " + m));
        w.abandonedUploads().forEach(u -> out().println("  abandoned upload " + u));
        w.interruptedWrites().forEach(t -> out().println("  interrupted write " + t));
    }
}
