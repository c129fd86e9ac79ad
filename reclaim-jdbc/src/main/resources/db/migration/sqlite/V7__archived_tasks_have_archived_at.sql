-- A task with the archived system tag now must have archived_at (Task refuses one without, and
-- listings of archived tasks by archived_at rely on it). Reclaim always set both; a row written
-- otherwise (by hand, by an import) gets the time of its last status change, the closest record
-- of when it was set aside, instead of failing every page it appears on.
UPDATE tasks SET archived_at = status_changed_at
WHERE archived_at IS NULL
  AND EXISTS (SELECT 1 FROM task_tags g WHERE g.task_id = tasks.id AND g.is_system = 1 AND g.tag = 'archived');
