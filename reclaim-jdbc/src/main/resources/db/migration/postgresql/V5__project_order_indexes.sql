-- Listing one project's tasks in a time order is what the web UI and scripts do most; with only
-- a project index the database sorted all of a project's tasks for every page (72 ms a page at
-- 5,000 tasks a project). These let it walk the project's tasks in order and seek to a cursor.
CREATE INDEX ix_tasks_project_last_update ON tasks (project, last_update_at, id);
CREATE INDEX ix_tasks_project_created     ON tasks (project, created_at, id);
