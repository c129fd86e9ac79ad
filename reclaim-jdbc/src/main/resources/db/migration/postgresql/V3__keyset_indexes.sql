-- Keyset paging orders by (sort expression, id) and seeks with a row-value comparison on exactly
-- those expressions, so each sortable key used for paging at scale gets a matching composite index.
-- The expressions must match SortKey's text for the planner to use them.
CREATE INDEX ix_tasks_key_archived_at    ON tasks ((COALESCE(archived_at, -9223372036854775807)), id);
CREATE INDEX ix_tasks_key_status_changed ON tasks (status_changed_at, id);
CREATE INDEX ix_tasks_key_last_update    ON tasks (last_update_at, id);
CREATE INDEX ix_tasks_key_created        ON tasks (created_at, id);
