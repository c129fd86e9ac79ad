package dev.reclaim.fsck;

import java.util.List;

/**
 * What {@link Fsck} found about writes: stored bytes that are not the ones recorded (docs/rules.md
 * invariant 6), and leftovers of uploads whose writer died. Lists hold the first
 * {@link FsckReport#LISTED} of each kind; the counts are complete.
 *
 * @param sizeMismatches        LIVE artifacts whose object's size is not the recorded size
 * @param sizeMismatchCount     how many in all
 * @param checksumsVerified     true when stored bytes were read and compared with recorded checksums
 * @param checksumsChecked      LIVE artifacts whose bytes were read and hashed
 * @param checksumMismatches    LIVE artifacts whose object's SHA-256 is not the recorded one
 * @param checksumMismatchCount how many in all
 * @param abandonedUploads      PENDING artifacts registered longer ago than the grace period
 * @param abandonedUploadCount  how many in all
 * @param interruptedWrites     leftovers of interrupted puts (temp files) untouched for longer than the grace period
 * @param interruptedWriteCount how many in all
 * @param interruptedWriteBytes their bytes
 */
public record WriteFindings(List<String> sizeMismatches, long sizeMismatchCount, boolean checksumsVerified,
                            long checksumsChecked, List<String> checksumMismatches, long checksumMismatchCount,
                            List<String> abandonedUploads, long abandonedUploadCount, List<String> interruptedWrites,
                            long interruptedWriteCount, long interruptedWriteBytes) {
    /** Nothing checked, nothing found. */
    public static final WriteFindings NONE = new WriteFindings(List.of(), 0, false, 0, List.of(), 0, List.of(), 0, List.of(), 0, 0);

    public WriteFindings {
        sizeMismatches = List.copyOf(sizeMismatches);
        checksumMismatches = List.copyOf(checksumMismatches);
        abandonedUploads = List.copyOf(abandonedUploads);
        interruptedWrites = List.copyOf(interruptedWrites);
    }

    /** True when nothing is wrong. */
    public boolean consistent() {
        return sizeMismatchCount == 0 && checksumMismatchCount == 0 && abandonedUploadCount == 0 && interruptedWriteCount == 0;
    }
}
