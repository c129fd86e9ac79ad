-- A Cleanup Service run's deletions carry its id from the mark (tasks.delete_run) to their audit
-- lines, so a run's deleted tasks can be listed however many there were; and the audit can be
-- read by task, run or actor, newest first, a page at a time, without reading the whole table.
ALTER TABLE tasks ADD COLUMN delete_run TEXT;
ALTER TABLE audit ADD COLUMN run_id TEXT;
CREATE INDEX IF NOT EXISTS ix_audit_task_at ON audit (task_id, at, id);
-- the new index begins with task_id, so it answers what ix_audit_task (V17) did
DROP INDEX IF EXISTS ix_audit_task;
CREATE INDEX IF NOT EXISTS ix_audit_run_at ON audit (run_id, at, id);
CREATE INDEX IF NOT EXISTS ix_audit_actor_at ON audit (actor, at, id);
