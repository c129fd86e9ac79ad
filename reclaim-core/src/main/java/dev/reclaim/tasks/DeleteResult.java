package dev.reclaim.tasks;

import java.util.List;

/**
 * What deleting one catalog task did.
 *
 * @param taskId          the task
 * @param deleted         true when the task and its artifacts are gone
 * @param needsForce      true when it was refused and force would allow it
 * @param error           for a refusal or failure: why, and how to proceed
 * @param updatedChildren children re-pointed to the deleted-parent marker
 * @param updatedModels   output models kept and detached (published, or used by other tasks)
 * @param deletedModels   output models deleted
 * @param objects         stored objects deleted
 * @param bytes           bytes freed
 * @param fileUrls        storage keys queued for deletion, when asked for
 */
public record DeleteResult(String taskId, boolean deleted, boolean needsForce, String error, int updatedChildren,
                           int updatedModels, int deletedModels, long objects, long bytes, List<String> fileUrls) {
    public DeleteResult {
        fileUrls = List.copyOf(fileUrls);
    }

    static DeleteResult refused(String taskId, boolean needsForce, String error) {
        return new DeleteResult(taskId, false, needsForce, error, 0, 0, 0, 0, 0, List.of());
    }
}
