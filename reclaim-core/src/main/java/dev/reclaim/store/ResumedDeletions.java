package dev.reclaim.store;

/**
 * Deletions that an earlier run or command started and did not finish (it failed, or its process
 * died), finished by a resume: how many, and the objects and bytes they freed in all, counted from
 * their queue entries (objects the interrupted process deleted before it stopped included).
 *
 * @param tasks   deletions finished
 * @param objects objects freed
 * @param bytes   bytes freed
 */
public record ResumedDeletions(long tasks, long objects, long bytes) {
    /** Nothing resumed. */
    public static final ResumedDeletions NONE = new ResumedDeletions(0, 0, 0);
}
