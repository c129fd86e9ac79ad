package dev.reclaim.tasks;

import java.util.List;

/**
 * What deleting some of a task's artifacts did (or, for a dry run, would do).
 *
 * @param taskId      the task
 * @param deleted     true when the artifacts are gone (would go, for a dry run), bar the kept models
 * @param dryRun      true when nothing was changed
 * @param needsForce  true when it was refused and force would allow it
 * @param error       for a refusal or failure: why, and how to proceed
 * @param artifactIds the artifacts asked for
 * @param keptModels  with force: models kept and detached from the task instead (published, or
 *                    another live task's input); remove them with {@code reclaim models rm --force}
 * @param objects     stored objects deleted
 * @param bytes       bytes freed
 */
public record ArtifactDeleteResult(String taskId, boolean deleted, boolean dryRun, boolean needsForce, String error,
                                   List<String> artifactIds, List<String> keptModels, long objects, long bytes) {
    public ArtifactDeleteResult {
        artifactIds = List.copyOf(artifactIds);
        keptModels = List.copyOf(keptModels);
    }
}
