-- API tokens of the HTTP server. Only the SHA-256 hash of a token is kept, never the token.
-- Same shape as the SQLite migration V4; instants are BIGINT epoch milliseconds.
CREATE TABLE api_tokens (
    id           TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name         TEXT COLLATE "C" NOT NULL,
    role         TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    last_used_at BIGINT,
    revoked      BOOLEAN NOT NULL DEFAULT FALSE
);
-- A name names one live token; a revoked token keeps its row (for the listing) and frees its name.
CREATE UNIQUE INDEX ux_api_tokens_active_name ON api_tokens (name) WHERE revoked = FALSE;
