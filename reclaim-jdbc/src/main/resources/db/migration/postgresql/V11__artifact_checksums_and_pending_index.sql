-- The SHA-256 of an artifact's stored bytes (64 lowercase hex digits), computed while they were
-- copied into the store; fsck compares it with what the store holds. Rows from before have none.
ALTER TABLE artifacts ADD COLUMN sha256 TEXT;
-- PENDING artifacts are uploads in progress, or abandoned when their writer died; fsck and the
-- Cleanup Service look for those older than a grace period. Few rows are PENDING at any time, so
-- this partial index stays small and spares them a scan of every artifact.
CREATE INDEX ix_artifacts_pending ON artifacts (created_at) WHERE state = 'PENDING';
