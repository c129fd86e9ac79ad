-- reclaim import: the task an imported tree's task became is found again by its import key
-- (store name / the task's place in the tree), so a second import or a resumed one adds no duplicate
-- task. NULL for every task not made by an import; unique, and gone with its task row.
ALTER TABLE tasks ADD COLUMN import_key TEXT COLLATE "C";
CREATE UNIQUE INDEX ux_tasks_import_key ON tasks (import_key) WHERE import_key IS NOT NULL;
-- Registering many objects of one task checks each name against the task's LIVE artifacts of the
-- kind: a lookup by (task, kind, name) instead of a scan of the task's artifacts per batch.
CREATE INDEX ix_artifacts_task_kind_name ON artifacts (task_id, kind, name);
