package dev.reclaim.model;

import java.util.Objects;

/**
 * What a put stored: the object's size and the SHA-256 digest of its bytes, computed while they
 * were copied (the source is read once). Recorded with the artifact, so fsck can tell whether the
 * bytes under a key are still the ones that were written.
 *
 * @param sizeBytes bytes stored
 * @param sha256    SHA-256 of those bytes, 64 lowercase hex digits
 */
public record StoredObject(long sizeBytes, String sha256) {
    public StoredObject {
        Objects.requireNonNull(sha256, "sha256");
    }
}
