package dev.reclaim.fsck;

import dev.reclaim.StoreException;
import dev.reclaim.delete.AbandonedWrites;
import dev.reclaim.model.Artifact;
import dev.reclaim.store.ArtifactStore;
import dev.reclaim.store.ObjectInfo;
import dev.reclaim.model.Sha256;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * fsck's checks of stored bytes against their records (docs/rules.md invariant 6): the size of every
 * LIVE artifact's object, and, when asked, its SHA-256 (read in full; artifacts registered before
 * checksums were kept are checked by size only). A mismatch is reported, never "repaired": the
 * record says what the bytes should be, and deleting either would lose the evidence.
 */
final class ContentCheck {
    private final ArtifactStore artifacts;
    private final boolean verifyChecksums;
    private final List<String> sizeMismatches = new ArrayList<>();
    private long sizeMismatchCount;
    private final List<String> checksumMismatches = new ArrayList<>();
    private long checksumMismatchCount;
    private long checksumsChecked;

    ContentCheck(ArtifactStore artifacts, boolean verifyChecksums) {
        this.artifacts = artifacts;
        this.verifyChecksums = verifyChecksums;
    }

    /** Checks one LIVE artifact whose object is there. */
    void check(Artifact a, ObjectInfo stored) {
        if (stored.sizeBytes() != a.sizeBytes()) {
            sizeMismatchCount++;
            if (sizeMismatches.size() < FsckReport.LISTED) {
                sizeMismatches.add(a.id() + " (" + a.storageKey() + "): recorded " + a.sizeBytes() + " bytes, stored "
                        + stored.sizeBytes());
            }
            return; // a different size already says the bytes changed
        }
        if (!verifyChecksums || a.sha256() == null) {
            return;
        }
        checksumsChecked++;
        String actual = digestOf(a.storageKey());
        if (!a.sha256().equals(actual)) {
            checksumMismatchCount++;
            if (checksumMismatches.size() < FsckReport.LISTED) {
                checksumMismatches.add(a.id() + " (" + a.storageKey() + "): recorded SHA-256 " + a.sha256() + ", stored "
                        + actual);
            }
        }
    }

    private String digestOf(String key) {
        MessageDigest digest = Sha256.newDigest();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = artifacts.open(key)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new StoreException("cannot read key '" + key + "' in " + artifacts.describe() + " to verify its checksum: " + e, e);
        }
        return Sha256.hex(digest);
    }

    /** The findings, with the leftovers of abandoned uploads found now. */
    WriteFindings findings(AbandonedWrites.Found left) {
        List<String> uploads = left.uploads().stream().map(a -> a.id() + " (" + a.storageKey() + ") of task " + a.taskId()
                + ", registered at " + a.createdAt()).toList();
        List<String> writes = left.interruptedWrites().stream().map(w -> w.key() + " (" + w.sizeBytes()
                + " bytes, last written at " + w.lastModified() + ")").toList();
        return new WriteFindings(sizeMismatches, sizeMismatchCount, verifyChecksums, checksumsChecked, checksumMismatches,
                checksumMismatchCount, uploads, left.uploadCount(), writes, left.interruptedCount(), left.interruptedBytes());
    }
}
