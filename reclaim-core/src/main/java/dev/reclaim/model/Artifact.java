package dev.reclaim.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An output of a task: a stored object referenced by key. Two artifacts may share one storage key;
 * the object is removed only when no live artifact references it.
 *
 * @param id         opaque, time-ordered, never reused
 * @param taskId     owning task; null for a model that was detached from its deleted task and kept
 * @param kind       what it is
 * @param name       user-facing name (a relative path inside the task's output for job outputs)
 * @param storageKey location in the artifact store
 * @param sizeBytes  object size in bytes
 * @param createdAt  when it was registered
 * @param published  for models: published models are kept when their task is deleted
 * @param state      position in the write/delete protocol
 * @param sha256     SHA-256 of the stored bytes (64 lowercase hex digits), recorded when the object
 *                   was written; null when unknown (registered before checksums were kept, or a
 *                   PENDING artifact whose bytes are still being written)
 */
public record Artifact(String id, String taskId, ArtifactKind kind, String name, String storageKey,
                       long sizeBytes, Instant createdAt, boolean published, ArtifactState state, String sha256) {

    public Artifact {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(storageKey, "storageKey");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(state, "state");
        if (sha256 != null && !Sha256.isValid(sha256)) {
            throw new IllegalArgumentException("sha256 must be 64 lowercase hex digits, was '" + sha256 + "'");
        }
    }

    /** An artifact whose checksum is not known (yet). */
    public Artifact(String id, String taskId, ArtifactKind kind, String name, String storageKey,
                    long sizeBytes, Instant createdAt, boolean published, ArtifactState state) {
        this(id, taskId, kind, name, storageKey, sizeBytes, createdAt, published, state, null);
    }

    /** A copy in another state. */
    public Artifact withState(ArtifactState newState) {
        return new Artifact(id, taskId, kind, name, storageKey, sizeBytes, createdAt, published, newState, sha256);
    }

    /** A copy with the published flag set as given. */
    public Artifact withPublished(boolean newPublished) {
        return new Artifact(id, taskId, kind, name, storageKey, sizeBytes, createdAt, newPublished, state, sha256);
    }

    /** A copy describing what was stored: its size and checksum. */
    public Artifact withContent(StoredObject stored) {
        return new Artifact(id, taskId, kind, name, storageKey, stored.sizeBytes(), createdAt, published, state, stored.sha256());
    }
}
