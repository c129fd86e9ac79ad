-- Marking a task for deletion turns its artifacts from LIVE to DELETING. With the state in the
-- task and storage-key indexes, that moved every artifact's entry in both; the state is read
-- from the row instead (a task has a handful of artifacts, a key one), and the partial
-- ix_artifacts_deleting still finds DELETING artifacts without a scan. Marking 10,000 tasks of
-- 10 artifacts each got this much faster: see docs/benchmarks.md, issue 4.
DROP INDEX ix_artifacts_task;
DROP INDEX ix_artifacts_storage_key;
CREATE INDEX ix_artifacts_task        ON artifacts (task_id);
CREATE INDEX ix_artifacts_storage_key ON artifacts (storage_key);
