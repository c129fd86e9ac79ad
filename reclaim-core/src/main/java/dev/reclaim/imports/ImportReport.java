package dev.reclaim.imports;

import java.util.List;

/**
 * What an import did.
 *
 * @param store             the named artifact store imported from
 * @param tasksCreated      tasks created
 * @param tasksFound        tasks of the tree an earlier import had created already
 * @param objects           objects registered
 * @param bytes             their bytes
 * @param alreadyRegistered objects in the layout that were registered already (skipped)
 * @param outside           objects outside the layout: not registered, left untouched
 * @param metadata          the tree's metadata files (read, never registered)
 * @param refused           objects in the layout that were not registered, each for a reason in {@code refusals}
 * @param refusals          up to 20 refused objects, each with why
 */
public record ImportReport(String store, long tasksCreated, long tasksFound, long objects, long bytes,
                           long alreadyRegistered, long outside, long metadata, long refused, List<String> refusals) {
}
