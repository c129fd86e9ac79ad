package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reclaim fsck [--repair]}. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Checks that the database is not damaged (SQLite's quick_check), then that metadata and stored "
                + "objects agree: orphan objects (named by no record), dangling records (object missing) and stuck deletions.",
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
        if (!found.integrityProblems().isEmpty()) {
            out().printf("found: the database reports %d integrity problem(s); nothing else was checked%n",
                    found.integrityProblems().size());
            found.integrityProblems().forEach(p -> out().println("  damaged database: " + p));
            err().println("the database is damaged: restore it from a backup (or recover it with sqlite3's .recover) "
                    + "before anything else; " + (repair ? "nothing was repaired, as repairs read the damaged records"
                    : "fsck --repair will not repair anything until then"));
            return ExitCodes.FAILED;
        }
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
    }
}
