package dev.reclaim.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * API tokens of the HTTP server. One of the role ports of a {@link TaskStore}; see
 * docs/architecture.md.
 */
public interface TokenStore {

    /**
     * Stores a new API token.
     *
     * @throws dev.reclaim.InvalidArgumentException when a token that is not revoked already has this name
     */
    void insertApiToken(ApiToken token);

    /** The token with this id, revoked or not; empty if there is none. */
    Optional<ApiToken> findApiToken(String id);

    /** Every token, revoked ones included, oldest first. */
    List<ApiToken> apiTokens();

    /** True when at least one token is not revoked (the server's open-access check; cheap). */
    boolean hasActiveApiTokens();

    /**
     * Records a use of a token.
     *
     * @return false if there is no such token
     */
    boolean touchApiToken(String id, Instant usedAt);

    /**
     * Revokes a token; revoking a revoked token changes nothing.
     *
     * @return false if there is no such token
     */
    boolean revokeApiToken(String id);
}
