package dev.reclaim.store;

import java.time.Instant;

/**
 * A stored object as the artifact store sees it.
 *
 * @param key          storage key
 * @param sizeBytes    size in bytes
 * @param lastModified last modification time
 */
public record ObjectInfo(String key, long sizeBytes, Instant lastModified) {
}
