package dev.reclaim.store;

/**
 * How many of the objects a queue entry stands for existed when they were deleted, and their bytes.
 * An object already absent (its upload never finished, or an earlier attempt removed it) is gone
 * too, but nothing was freed: reports and the audit trail count only these.
 *
 * @param entryId the queue entry
 * @param objects objects that existed and were deleted
 * @param bytes   their recorded size
 */
public record DeletedObjects(long entryId, long objects, long bytes) {
}
