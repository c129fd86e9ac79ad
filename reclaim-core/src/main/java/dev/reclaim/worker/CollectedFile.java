package dev.reclaim.worker;

import dev.reclaim.model.ArtifactKind;

import java.nio.file.Path;

/** A file from a job's output folder, about to become an artifact. */
record CollectedFile(ArtifactKind kind, String name, String storageKey, Path file, long sizeBytes) {
}
