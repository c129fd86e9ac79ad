package dev.reclaim.tasks;

import java.util.List;

/**
 * What {@link Tasks#deleteMany} did.
 *
 * @param succeeded the tasks deleted
 * @param failed    the tasks not deleted, each with its reason
 */
public record DeleteManyResult(List<DeleteResult> succeeded, List<DeleteResult> failed) {
    public DeleteManyResult {
        succeeded = List.copyOf(succeeded);
        failed = List.copyOf(failed);
    }

    /** True when any task was refused because it needs force. */
    public boolean anyNeedsForce() {
        return failed.stream().anyMatch(DeleteResult::needsForce);
    }

    /** True when any task failed for a reason other than needing force. */
    public boolean anyFailed() {
        return failed.stream().anyMatch(r -> !r.needsForce());
    }
}
