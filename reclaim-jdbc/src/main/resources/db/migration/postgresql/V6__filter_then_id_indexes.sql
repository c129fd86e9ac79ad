-- With no order given, a page is ordered by id. A project or status filter then read every
-- matching task and sorted them for each page (5 ms a page at 5,000 tasks a project, more for a
-- status that a fifth of the catalog has). With the id after the filtered column the database
-- walks the matches in id order and stops after a page; the old single-column indexes are
-- prefixes of these, so they go.
DROP INDEX ix_tasks_project;
DROP INDEX ix_tasks_status;
CREATE INDEX ix_tasks_project_id ON tasks (project, id);
CREATE INDEX ix_tasks_status_id  ON tasks (status, id);
