package dev.reclaim.store;

/**
 * One entry of the durable pending-delete queue: a stored object no live artifact references, or
 * (a whole-task entry) every object of one task's DELETING artifacts.
 *
 * <p>A whole-task entry is queued by a batched mark for a task whose objects no other artifact
 * record shares (at most {@link #WHOLE_TASK_MAX_OBJECTS} of them): one entry instead of one per
 * object. Its {@code storageKey} is {@link #WHOLE_TASK_PREFIX} and the task id, which no storage
 * key can be, as keys are relative; its objects are read from the task's artifact records when it
 * is purged ({@link TaskStore#objectsOfWholeTaskEntries}).
 *
 * @param id         queue entry id
 * @param storageKey the object to delete
 * @param taskId     the task whose deletion queued it (null if queued by a repair)
 * @param sizeBytes  the object's recorded size, for reclaimed-bytes accounting (a whole-task entry: its
 *                   objects' together)
 * @param attempts   failed attempts so far
 * @param lastError  why the last attempt failed, or null
 * @param claimedBefore true when a purger claimed it before this claim: one that may have deleted
 *                   some of its objects and died before recording it, so an object found absent
 *                   now was freed by this deletion all the same
 */
public record PendingDelete(long id, String storageKey, String taskId, long sizeBytes, int attempts, String lastError,
                            boolean claimedBefore) {
    /** An entry as listed or to be queued, not as claimed ({@code claimedBefore} false). */
    public PendingDelete(long id, String storageKey, String taskId, long sizeBytes, int attempts, String lastError) {
        this(id, storageKey, taskId, sizeBytes, attempts, lastError, false);
    }

    /** How a whole-task entry's storage key starts: an absolute path, which no storage key is. */
    public static final String WHOLE_TASK_PREFIX = "/task/";

    /**
     * Most objects a whole-task entry stands for: a task with more gets one entry per object, so a
     * purger that claims a batch of entries holds at most batch size x this many keys in memory.
     */
    public static final int WHOLE_TASK_MAX_OBJECTS = 100;

    /** True for a whole-task entry, which stands for every object of the task's DELETING artifacts. */
    public boolean wholeTask() {
        return storageKey.startsWith(WHOLE_TASK_PREFIX);
    }

    /** The storage key of the whole-task entry of {@code taskId}. */
    public static String wholeTaskKey(String taskId) {
        return WHOLE_TASK_PREFIX + taskId;
    }
}
