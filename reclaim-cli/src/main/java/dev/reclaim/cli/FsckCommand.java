package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.DetachedModelsFound;
import dev.reclaim.fsck.FsckReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code reclaim fsck [--repair] [--delete-unmanaged KEY]...}. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Checks that metadata and stored objects agree: orphan objects (in Reclaim's tasks/<task id>/ "
                + "namespace, named by no record), dangling records (object missing), detached models with no owner and "
                + "no user, and stuck deletions. Objects Reclaim did not write (anything else without a record) are listed "
                + "as unmanaged.",
                "Changes nothing unless --repair: then orphans are deleted, dangling records removed, unused detached "
                        + "models deleted and stuck deletions finished. Published models and models kept on request are "
                        + "only listed. Unmanaged objects are never deleted unless named with --delete-unmanaged.",
                "Refuses (exit 2) an artifact root that is not this task store's (see 'reclaim adopt-root').",
                "Exits 0 when all is consistent (after repair, with --repair), 1 when a problem remains."},
        footerHeading = "%nExamples:%n", footer = {"  reclaim fsck", "  reclaim fsck --repair",
        "  reclaim fsck --delete-unmanaged notes/old.txt"})
final class FsckCommand extends HomeCommand {
    @Option(names = "--repair", description = "Fix what is found (never automatic).")
    boolean repair;

    @Option(names = "--delete-unmanaged", paramLabel = "KEY", description = "Delete this object, which no record names "
            + "(repeatable; as fsck lists them). If any KEY is missing or Reclaim's, nothing is deleted.")
    List<String> deleteUnmanaged = new ArrayList<>();

    @Override
    boolean readsOnly() {
        return !repair;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Fsck fsck = new Fsck(reclaim);
        if (!deleteUnmanaged.isEmpty()) {
            long deleted = fsck.deleteUnmanaged(deleteUnmanaged);
            out().println("deleted " + deleted + " unmanaged object(s): " + String.join(", ", deleteUnmanaged));
        }
        FsckReport found = fsck.check();
        print("found", found);
        if (repair && !found.consistent()) {
            FsckReport after = fsck.repair();
            print("after repair", after);
            printRoot(reclaim);
            return after.consistent() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        printRoot(reclaim);
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
        printDetachedModels(r.detachedModels());
        if (r.unmanagedCount() > 0) {
            out().printf("%d unmanaged object(s): not written by Reclaim, so never deleted by --repair "
                    + "(to delete one, name it: reclaim fsck --delete-unmanaged KEY)%n", r.unmanagedCount());
            r.unmanaged().forEach(u -> out().println("  unmanaged object " + u));
        }
    }

    private void printDetachedModels(DetachedModelsFound d) {
        if (d.unusedCount() > 0) {
            out().printf("  %d detached model(s) with no owner and no user%n", d.unusedCount());
            d.unused().forEach(m -> out().println("  detached model with no user " + m));
        }
        if (d.keptCount() > 0) {
            out().printf("  %d detached model(s) with no user kept by design (not a problem; 'reclaim models delete ID --force' "
                    + "removes one)%n", d.keptCount());
            d.kept().forEach(m -> out().println("  kept detached model " + m));
        }
    }

    private void printRoot(Reclaim reclaim) {
        out().println("artifact root " + reclaim.artifactStore().describe() + " (root " + reclaim.artifactRoot().rootId()
                + ", task store " + reclaim.taskStore().storeId() + ")");
    }
}
