-- A new store starts with planner statistics: those the store's own refresh (refreshStatistics)
-- wrote for a catalog of 100,000 tasks, half of them archived, in 10 projects, of 10 artifacts
-- each, mixed statuses. Without any, the planner read every task matching the Cleanup Service's
-- selection (or a listing's filter) and sorted them for each page, so a first cleanup run had to
-- refresh them before selecting: a full read of six task indexes, 5.4 s of a 65 s run at 100,000
-- tasks with cold caches, where nothing else could go on. The figures stand for a large catalog
-- (the planner compares them, it does not trust their size), and the first refresh, after each
-- cleanup run, replaces them with the catalog's own. A store analyzed before keeps its own.
ANALYZE sqlite_schema;
INSERT INTO sqlite_stat1 (tbl, idx, stat)
SELECT column1, column2, column3 FROM (VALUES
    ('tasks', 'sqlite_autoindex_tasks_1', '100000 1'),
    ('tasks', 'ix_tasks_archived_at', '100000 2'),
    ('tasks', 'ix_tasks_claim', '100000 100000 20000 1'),
    ('tasks', 'ix_tasks_created_at', '100000 1'),
    ('tasks', 'ix_tasks_deleting', '0 0'),
    ('tasks', 'ix_tasks_key_archived_at', '100000 2 1'),
    ('tasks', 'ix_tasks_key_created', '100000 1 1'),
    ('tasks', 'ix_tasks_key_last_update', '100000 1 1'),
    ('tasks', 'ix_tasks_key_status_changed', '100000 1 1'),
    ('tasks', 'ix_tasks_last_update_at', '100000 1'),
    ('tasks', 'ix_tasks_parent', '100000 1001'),
    ('tasks', 'ix_tasks_project_created', '100000 10000 1 1'),
    ('tasks', 'ix_tasks_project_id', '100000 10000 1'),
    ('tasks', 'ix_tasks_project_last_update', '100000 10000 1 1'),
    ('tasks', 'ix_tasks_status_changed_at', '100000 1'),
    ('tasks', 'ix_tasks_status_id', '100000 20000 1'),
    ('task_tags', 'sqlite_autoindex_task_tags_1', '50000 1 1 1'),
    ('task_tags', 'ix_task_tags_tag', '50000 50000 50000 1'),
    ('artifacts', 'sqlite_autoindex_artifacts_1', '1000000 1'),
    ('artifacts', 'ix_artifacts_task', '1000000 10'),
    ('artifacts', 'ix_artifacts_storage_key', '1000000 1'),
    ('artifacts', 'ix_artifacts_deleting', '0 0'),
    ('pending_deletes', 'ux_pending_deletes_open_key', '0 0'),
    ('api_tokens', 'ux_api_tokens_active_name', '0 0'))
WHERE NOT EXISTS (SELECT 1 FROM sqlite_stat1);
