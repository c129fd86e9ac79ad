-- Retention rules read artifacts by kind and age (delete_artifacts_after: debug samples older than
-- 7 days), oldest first, a page at a time: this index answers that without reading every artifact.
-- It leaves the state out, as the other artifact indexes do, so marking an artifact rewrites no
-- index entry.
CREATE INDEX IF NOT EXISTS ix_artifacts_kind_created ON artifacts (kind, created_at, id);
