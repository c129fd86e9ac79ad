package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reclaim fsck [--repair]}. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Checks that metadata and stored objects agree: orphan objects (named by no record), dangling "
                + "records (object missing) and stuck deletions.",
                "Changes nothing unless --repair: then orphans are deleted, dangling records removed and stuck "
                        + "deletions finished.",
                "Exits 0 when all is consistent (after repair, with --repair), 1 when a problem remains."},
        footerHeading = "%nExamples:%n", footer = {"  reclaim fsck", "  reclaim fsck --repair"})
final class FsckCommand extends HomeCommand {
    @Option(names = "--repair", description = "Fix what is found (never automatic).")
    boolean repair;

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Fsck fsck = new Fsck(reclaim);
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
        for (int i = 0; i < r.stuckDeletions().size(); i++) {
            out().println("  stuck deletion of task " + r.stuckDeletions().get(i)
                    + (i < r.stuckWhy().size() ? ": " + r.stuckWhy().get(i) : ""));
        }
        r.failingQueue().forEach(f -> out().println("  failing delete " + f));
        if (r.resumed().tasks() > 0) {
            out().printf("  finished %d stuck deletion(s): %d object(s), %s freed%n", r.resumed().tasks(),
                    r.resumed().objects(), Text.bytes(r.resumed().bytes()));
        }
    }
}
