package dev.reclaim.store;

import dev.reclaim.model.ArtifactKind;

/**
 * Where a task's artifacts are stored. The first artifact of a name gets
 * {@code tasks/<task id>/<kind folder>/<name>}; a later one whose key is taken (it replaces an
 * earlier artifact of that name, or something is stored there already) gets
 * {@code tasks/<task id>/<artifact id>/<kind folder>/<name>}. The third segment of the second form
 * is an artifact id, never a kind folder, so the two can never name the same key, and artifact
 * ids are never reused: a new version never lands on bytes a record describes.
 */
public final class ArtifactKeys {
    private ArtifactKeys() {
    }

    /**
     * The usual key of a task's artifact.
     *
     * @throws dev.reclaim.InvalidArgumentException if the name cannot be part of a key
     */
    public static String of(String taskId, ArtifactKind kind, String name) {
        return StorageKeys.of("tasks", taskId, kind.folder(), name);
    }

    /**
     * The key of one artifact in particular, for when the usual key is taken.
     *
     * @throws dev.reclaim.InvalidArgumentException if the name cannot be part of a key
     */
    public static String ofArtifact(String taskId, String artifactId, ArtifactKind kind, String name) {
        return StorageKeys.of("tasks", taskId, artifactId, kind.folder(), name);
    }
}
