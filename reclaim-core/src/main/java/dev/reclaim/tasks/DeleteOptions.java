package dev.reclaim.tasks;

/**
 * Options of a catalog delete (docs/rules.md section 3).
 *
 * @param force              delete PUBLISHED, non-draft unarchived and RUNNING tasks (stopped first), and
 *                           tasks with published children or published output models (those are kept)
 * @param deleteOutputModels false: keep every output model (detached from the task)
 * @param returnFileUrls     list the storage keys queued for deletion in the result
 */
public record DeleteOptions(boolean force, boolean deleteOutputModels, boolean returnFileUrls) {
    /** force=false, deleteOutputModels=true, returnFileUrls=false. */
    public static final DeleteOptions DEFAULTS = new DeleteOptions(false, true, false);

    /** The defaults with force set as given. */
    public static DeleteOptions force(boolean force) {
        return new DeleteOptions(force, true, false);
    }

    /** These options with force set as given. */
    public DeleteOptions forced(boolean v) {
        return new DeleteOptions(v, deleteOutputModels, returnFileUrls);
    }

    /** These options, deleting the task's output models (true) or keeping them detached (false). */
    public DeleteOptions deletingOutputModels(boolean v) {
        return new DeleteOptions(force, v, returnFileUrls);
    }

    /** These options, listing the storage keys queued for deletion in the result or not. */
    public DeleteOptions listingFileUrls(boolean v) {
        return new DeleteOptions(force, deleteOutputModels, v);
    }
}
