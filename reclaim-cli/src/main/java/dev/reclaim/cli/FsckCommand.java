package dev.reclaim.cli;

import dev.reclaim.Reclaim;
import dev.reclaim.fsck.DetachedModelsFound;
import dev.reclaim.fsck.Fsck;
import dev.reclaim.fsck.FsckReport;
import dev.reclaim.fsck.WriteFindings;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;

/** {@code reclaim fsck [--repair] [--verify-checksums] [--delete-unmanaged KEY]... [--output table|json]}. */
@Command(name = "fsck", mixinStandardHelpOptions = true,
        description = {"Checks that the database is not damaged (SQLite's quick_check), then that metadata and stored "
                + "objects agree: orphan objects (in the tasks/<task id>/ folder of a task this store has or had, named by no "
                + "record), dangling "
                + "records (object missing), detached models with no owner and no user, stuck deletions, objects whose "
                + "size (or, with --verify-checksums, SHA-256) is not the recorded one, and uploads abandoned more than an "
                + "hour ago (PENDING records, temp files). Objects Reclaim did not write (anything else without a record) "
                + "are listed as unmanaged. A record whose object the artifact store cannot answer for (I/O error, "
                + "permission denied, unreachable endpoint, missing bucket) is listed as unchecked, never as dangling.",
                "Changes nothing unless --repair: then stuck deletions are finished, orphans deleted, dangling records "
                        + "removed, unused detached models deleted and abandoned uploads removed. Published models and "
                        + "models kept on request are only listed. A size or checksum mismatch is only reported: the "
                        + "record and the object are both kept as evidence. Unmanaged objects are never deleted unless "
                        + "named with --delete-unmanaged. A damaged database stops fsck before anything is repaired.",
                "Refuses (exit 2) an artifact root that is not this task store's (see 'reclaim adopt-root').",
                "Exits 0 when all is consistent (after repair, with --repair), 1 when a problem remains."},
        footerHeading = "%nExamples:%n", footer = {"  reclaim fsck", "  reclaim fsck --repair", "  reclaim fsck --verify-checksums",
        "  reclaim fsck --delete-unmanaged notes/old.txt", "  reclaim fsck --output json"})
final class FsckCommand extends HomeCommand {
    private static final PrintWriter DISCARD = new PrintWriter(Writer.nullWriter());

    @Option(names = "--repair", description = "Fix what is found (never automatic).")
    boolean repair;

    @Option(names = "--verify-checksums", description = "Also read every object that has a recorded checksum and compare "
            + "its SHA-256 (as slow as reading the whole store); sizes are always compared.")
    boolean verifyChecksums;

    @Option(names = "--delete-unmanaged", paramLabel = "KEY", description = "Delete this object, which no record names "
            + "(repeatable; as fsck lists them). If any KEY is missing or Reclaim's, nothing is deleted.")
    List<String> deleteUnmanaged = new ArrayList<>();

    @Mixin
    OutputOption output;

    /** What --output json prints, as one document (the table's sections, by name). */
    private final Map<String, Object> document = new LinkedHashMap<>();

    @Override
    boolean readsOnly() {
        return !repair;
    }

    @Override
    int run(Reclaim reclaim, ReclaimHome home) {
        Fsck fsck = verifyChecksums ? reclaim.fsck().verifyingChecksums() : reclaim.fsck();
        if (!deleteUnmanaged.isEmpty()) {
            // a key named twice is one object: deleted once, so listed once
            List<String> named = List.copyOf(new LinkedHashSet<>(deleteUnmanaged));
            long deleted = fsck.deleteUnmanaged(named);
            document.put("deleted_unmanaged", named);
            text().println("deleted " + deleted + " unmanaged object(s): " + String.join(", ", named));
        }
        FsckReport found = fsck.check();
        if (!found.integrityProblems().isEmpty()) {
            document.put("found", found);
            document.put("consistent", false);
            printDocument();
            text().printf("found: the database reports %d integrity problem(s); nothing else was checked%n",
                    found.integrityProblems().size());
            found.integrityProblems().forEach(p -> text().println("  damaged database: " + p));
            err().println("the database is damaged: restore it from a backup (or recover it with sqlite3's .recover) "
                    + "before anything else; " + (repair ? "nothing was repaired, as repairs read the damaged records"
                    : "fsck --repair will not repair anything until then"));
            return ExitCodes.FAILED;
        }
        print("found", found);
        if (repair && !found.consistent()) {
            FsckReport after = fsck.repair();
            print("after repair", after);
            printRoot(reclaim);
            document.put("consistent", after.consistent());
            printDocument();
            return after.consistent() ? ExitCodes.OK : ExitCodes.FAILED;
        }
        printRoot(reclaim);
        document.put("consistent", found.consistent());
        printDocument();
        if (!found.consistent() && !repair) {
            err().println("run 'reclaim" + homeOption(home) + " fsck --repair' to fix these");
        }
        return found.consistent() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** Where the table goes: standard output, or nowhere when the output is JSON. */
    private PrintWriter text() {
        return output.json() ? DISCARD : out();
    }

    private void printDocument() {
        if (output.json()) {
            OutputOption.printJson(out(), document);
        }
    }

    private void print(String heading, FsckReport r) {
        document.put(heading.equals("found") ? "found" : "after_repair", r);
        text().printf("%s: %d object(s) and %d live record(s) checked; %d orphan(s), %d dangling record(s), "
                        + "%d stuck deletion(s), %d failing queue entr(ies)%n", heading, r.objectsScanned(), r.recordsScanned(),
                r.orphanCount(), r.danglingCount(), r.stuckDeletions().size(), r.failingQueue().size());
        r.orphans().forEach(o -> text().println("  orphan object " + o));
        r.dangling().forEach(d -> text().println("  dangling record " + d));
        if (r.uncheckedCount() > 0) {
            text().printf("  %d live record(s) could not be checked: the artifact store did not answer for their objects, "
                    + "so they are not called dangling and no repair touches them; make the store reachable and run fsck "
                    + "again%n", r.uncheckedCount());
            r.unchecked().forEach(u -> text().println("  unchecked record " + u));
        }
        r.storeProblems().forEach(p -> text().println("  artifact store problem: " + p));
        for (int i = 0; i < r.stuckDeletions().size(); i++) {
            text().println("  stuck deletion of task " + r.stuckDeletions().get(i)
                    + (i < r.stuckWhy().size() ? ": " + r.stuckWhy().get(i) : ""));
        }
        r.failingQueue().forEach(f -> text().println("  failing delete " + f));
        r.strandedDeletions().forEach(d -> text().println("  stranded delete: " + d));
        if (r.resumed().tasks() > 0) {
            text().printf("  finished %d stuck deletion(s): %d object(s), %s freed%n", r.resumed().tasks(),
                    r.resumed().objects(), Text.bytes(r.resumed().bytes()));
        }
        printWrites(r.writes());
        if (!r.usageProblems().isEmpty()) {
            text().printf("  %d storage usage total(s) differ from the records (what 'reclaim du' reads; --repair rebuilds "
                    + "them)%n", r.usageProblems().size());
            r.usageProblems().forEach(u -> text().println("  usage total " + u));
        }
        printDetachedModels(r.detachedModels());
        if (r.unmanagedCount() > 0) {
            text().printf("%d unmanaged object(s): not written by Reclaim, so never deleted by --repair "
                    + "(to delete one, name it: reclaim fsck --delete-unmanaged KEY)%n", r.unmanagedCount());
            r.unmanaged().forEach(u -> text().println("  unmanaged object " + u));
        }
    }

    private void printDetachedModels(DetachedModelsFound d) {
        if (d.unusedCount() > 0) {
            text().printf("  %d detached model(s) with no owner and no user%n", d.unusedCount());
            d.unused().forEach(m -> text().println("  detached model with no user " + m));
        }
        if (d.keptCount() > 0) {
            text().printf("  %d detached model(s) with no user kept by design (not a problem; 'reclaim models delete ID --force' "
                    + "removes one)%n", d.keptCount());
            d.kept().forEach(m -> text().println("  kept detached model " + m));
        }
    }

    private void printWrites(WriteFindings w) {
        if (w.checksumsVerified() || !w.consistent()) {
            text().printf("  %d size mismatch(es), %d checksum mismatch(es)%s, %d abandoned upload(s), %d interrupted "
                            + "write(s) (%d bytes)%n", w.sizeMismatchCount(), w.checksumMismatchCount(),
                    w.checksumsVerified() ? " (" + w.checksumsChecked() + " checksum(s) verified)" : "",
                    w.abandonedUploadCount(), w.interruptedWriteCount(), w.interruptedWriteBytes());
        }
        w.sizeMismatches().forEach(m -> text().println("  size mismatch " + m));
        w.checksumMismatches().forEach(m -> text().println("  checksum mismatch " + m));
        w.abandonedUploads().forEach(u -> text().println("  abandoned upload " + u));
        w.interruptedWrites().forEach(t -> text().println("  interrupted write " + t));
    }

    private void printRoot(Reclaim reclaim) {
        // a read-only instance does not verify the root, so a store from before markers has no binding
        String root = reclaim.artifactRoot() == null ? "not yet bound" : "root " + reclaim.artifactRoot().rootId();
        Fsck fsck = reclaim.fsck();
        Map<String, Object> where = new LinkedHashMap<>();
        where.put("location", fsck.rootLocation());
        where.put("root_id", reclaim.artifactRoot() == null ? null : reclaim.artifactRoot().rootId());
        where.put("task_store_id", fsck.taskStoreId());
        document.put("artifact_root", where);
        text().println("artifact root " + fsck.rootLocation() + " (" + root + ", task store " + fsck.taskStoreId() + ")");
    }
}
