package dev.reclaim.imports;

import java.util.List;

/**
 * What an import would register (a dry run), found by listing the tree; nothing was changed.
 *
 * @param tasks             each task of the tree with objects still to register, in the order found
 * @param newTasks          how many of them would be created (the others exist from an earlier import)
 * @param objects           objects that would be registered
 * @param bytes             their bytes
 * @param alreadyRegistered objects in the layout that are registered already
 * @param outside           objects outside the layout: never registered, left untouched
 * @param metadata          the tree's metadata files (read, never registered)
 * @param refused           objects in the layout that cannot be registered (names Reclaim refuses)
 * @param refusals          up to 20 of them, each with why
 */
public record ImportPlan(List<PlannedTask> tasks, long newTasks, long objects, long bytes, long alreadyRegistered,
                         long outside, long metadata, long refused, List<String> refusals) {
}
