-- fsck deletes an object in a task's folder without a record only when the store knew that task: a
-- task record, or an audit record of its finished deletion. This index answers the second per
-- batch of listed keys without reading the whole audit, which keeps one row per deleted task.
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE INDEX IF NOT EXISTS ix_audit_task ON audit (task_id);
