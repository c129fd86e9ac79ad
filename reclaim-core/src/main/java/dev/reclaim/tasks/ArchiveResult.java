package dev.reclaim.tasks;

/**
 * What archiving or unarchiving one task did.
 *
 * @param taskId  the task
 * @param changed true when the task's archived state changed
 * @param message what happened, e.g. "dequeued" or "not found"
 */
public record ArchiveResult(String taskId, boolean changed, String message) {
}
