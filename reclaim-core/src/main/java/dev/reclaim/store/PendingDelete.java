package dev.reclaim.store;

/**
 * One entry of the durable pending-delete queue: a stored object no live artifact references.
 *
 * @param id         queue entry id
 * @param storageKey the object to delete
 * @param taskId     the task whose deletion queued it (null if queued by a repair)
 * @param sizeBytes  the object's recorded size, for reclaimed-bytes accounting
 * @param attempts   failed attempts so far
 * @param lastError  why the last attempt failed, or null
 */
public record PendingDelete(long id, String storageKey, String taskId, long sizeBytes, int attempts, String lastError) {
}
