package dev.reclaim.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An API token of the HTTP server as the metadata store keeps it: never the secret, only its
 * SHA-256 hash, so a leaked database does not leak usable tokens. Tokens live in the shared store
 * so every server process sharing it accepts the same tokens and sees revocations at once.
 *
 * @param id          opaque id (also part of the token text, so a request finds its row without
 *                    searching by secret)
 * @param name        unique among tokens that are not revoked; how people refer to it
 * @param role        {@code viewer}, {@code operator} or {@code admin}; the store keeps it as text
 * @param secretHash  lowercase hex SHA-256 of the whole token text
 * @param createdAt   when it was created
 * @param lastUsedAt  when a request last used it (updated at most about once a minute); null if never
 * @param revoked     true once revoked; a revoked token authenticates nothing
 */
public record ApiToken(String id, String name, String role, String secretHash, Instant createdAt, Instant lastUsedAt,
                       boolean revoked) {
    public ApiToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(secretHash, "secretHash");
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
