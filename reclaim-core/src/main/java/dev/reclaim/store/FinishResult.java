package dev.reclaim.store;

/**
 * What finishing one task's deletion removed.
 *
 * @param taskId       the task
 * @param taskDeleted  true when the task record was removed (false: only its artifacts went)
 * @param artifacts    artifact records removed
 * @param objects      stored objects deleted for it (already-gone objects count)
 * @param bytes        their recorded size
 */
public record FinishResult(String taskId, boolean taskDeleted, int artifacts, long objects, long bytes) {
}
