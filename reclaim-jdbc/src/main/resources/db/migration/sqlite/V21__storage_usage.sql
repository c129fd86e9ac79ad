-- Storage usage kept up to date by the database itself, in the transaction of every change, so no
-- code path can forget it and a crash cannot split a change from its totals:
--   task_usage   objects and bytes of each task's LIVE artifacts (top tasks by size, sizes column);
--   usage_totals the same summed by project, kind, status, archived, owner and creation day, the
--                finest grain 'reclaim du' groups by;
--   usage_log    where PostgreSQL's triggers append changes; SQLite has one writer at a time, so its
--                triggers add to usage_totals directly and the log stays empty.
-- Writes are kept few, as they are per row here: both tables are WITHOUT ROWID (one b-tree each),
-- and a task marked for deletion gives up its artifacts' usage at once, in one grouped statement,
-- instead of one change per artifact.
-- Detached models (no task) count under status DETACHED, project '' and their own creation day.
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE TABLE IF NOT EXISTS task_usage (
    task_id TEXT   NOT NULL PRIMARY KEY,
    objects BIGINT NOT NULL,
    bytes   BIGINT NOT NULL
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS usage_totals (
    project     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    archived    BOOLEAN NOT NULL,
    owner       TEXT    NOT NULL,
    created_day BIGINT  NOT NULL,
    objects     BIGINT  NOT NULL,
    bytes       BIGINT  NOT NULL,
    PRIMARY KEY (project, kind, status, archived, owner, created_day)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS usage_log (
    id          INTEGER PRIMARY KEY,
    project     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    archived    BOOLEAN NOT NULL,
    owner       TEXT    NOT NULL,
    created_day BIGINT  NOT NULL,
    objects     BIGINT  NOT NULL,
    bytes       BIGINT  NOT NULL
);

-- An artifact counts while it is LIVE, in a task that is not being deleted (or detached). A task
-- marked for deletion gives up its usage in usage_task_deleting; its artifacts' changes then skip it.

-- an artifact is inserted LIVE
CREATE TRIGGER IF NOT EXISTS usage_artifact_inserted AFTER INSERT ON artifacts WHEN NEW.state = 'LIVE'
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, NEW.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id AND t.deleting_since IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', NEW.kind, 'DETACHED', FALSE, '', NEW.created_at / 86400000, 1, NEW.size_bytes WHERE NEW.task_id IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO task_usage (task_id, objects, bytes)
        SELECT NEW.task_id, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id AND t.deleting_since IS NULL
        ON CONFLICT (task_id) DO UPDATE SET objects = task_usage.objects + 1, bytes = task_usage.bytes + excluded.bytes;
END;

-- a LIVE artifact's record is deleted
CREATE TRIGGER IF NOT EXISTS usage_artifact_deleted AFTER DELETE ON artifacts
    WHEN OLD.state = 'LIVE' AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id AND t.deleting_since IS NOT NULL)
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, OLD.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, -1, -OLD.size_bytes FROM tasks t WHERE t.id = OLD.task_id AND t.deleting_since IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', OLD.kind, 'DETACHED', FALSE, '', OLD.created_at / 86400000, -1, -OLD.size_bytes WHERE OLD.task_id IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    UPDATE task_usage SET objects = objects - 1, bytes = bytes - OLD.size_bytes
        WHERE task_id = OLD.task_id AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id
                                                      AND t.deleting_since IS NOT NULL);
END;

-- a LIVE artifact stops counting where it counted: it leaves LIVE, or its task, kind or size change
CREATE TRIGGER IF NOT EXISTS usage_artifact_left AFTER UPDATE OF state, task_id, kind, size_bytes ON artifacts
    WHEN OLD.state = 'LIVE' AND (NEW.state <> 'LIVE' OR OLD.task_id IS NOT NEW.task_id OR OLD.kind <> NEW.kind
                                 OR OLD.size_bytes <> NEW.size_bytes)
         AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id AND t.deleting_since IS NOT NULL)
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, OLD.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, -1, -OLD.size_bytes FROM tasks t WHERE t.id = OLD.task_id AND t.deleting_since IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', OLD.kind, 'DETACHED', FALSE, '', OLD.created_at / 86400000, -1, -OLD.size_bytes WHERE OLD.task_id IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    UPDATE task_usage SET objects = objects - 1, bytes = bytes - OLD.size_bytes
        WHERE task_id = OLD.task_id AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = OLD.task_id
                                                      AND t.deleting_since IS NOT NULL);
END;

-- an artifact starts counting: it becomes LIVE, or a LIVE one moves to another task, kind or size
CREATE TRIGGER IF NOT EXISTS usage_artifact_entered AFTER UPDATE OF state, task_id, kind, size_bytes ON artifacts
    WHEN NEW.state = 'LIVE' AND (OLD.state <> 'LIVE' OR OLD.task_id IS NOT NEW.task_id OR OLD.kind <> NEW.kind
                                 OR OLD.size_bytes <> NEW.size_bytes)
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, NEW.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id AND t.deleting_since IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', NEW.kind, 'DETACHED', FALSE, '', NEW.created_at / 86400000, 1, NEW.size_bytes WHERE NEW.task_id IS NULL
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO task_usage (task_id, objects, bytes)
        SELECT NEW.task_id, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id AND t.deleting_since IS NULL
        ON CONFLICT (task_id) DO UPDATE SET objects = task_usage.objects + 1, bytes = task_usage.bytes + excluded.bytes;
END;

-- a task's LIVE artifacts move between groups when what it is grouped by changes
CREATE TRIGGER IF NOT EXISTS usage_task_regrouped AFTER UPDATE OF project, status, archived_at, owner, created_at ON tasks
    WHEN NEW.deleting_since IS NULL AND (OLD.project <> NEW.project OR OLD.status <> NEW.status
         OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) OR OLD.owner IS NOT NEW.owner
         OR OLD.created_at / 86400000 <> NEW.created_at / 86400000)
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT OLD.project, a.kind, OLD.status, OLD.archived_at IS NOT NULL, COALESCE(OLD.owner, ''),
               OLD.created_at / 86400000, -COUNT(*), -SUM(a.size_bytes)
        FROM artifacts a WHERE a.task_id = OLD.id AND a.state = 'LIVE' GROUP BY a.kind
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT NEW.project, a.kind, NEW.status, NEW.archived_at IS NOT NULL, COALESCE(NEW.owner, ''),
               NEW.created_at / 86400000, COUNT(*), SUM(a.size_bytes)
        FROM artifacts a WHERE a.task_id = NEW.id AND a.state = 'LIVE' GROUP BY a.kind
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
END;

-- a task is marked for deletion: its LIVE artifacts stop counting at once (they are being deleted)
CREATE TRIGGER IF NOT EXISTS usage_task_deleting AFTER UPDATE OF deleting_since ON tasks
    WHEN OLD.deleting_since IS NULL AND NEW.deleting_since IS NOT NULL
BEGIN
    INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT OLD.project, a.kind, OLD.status, OLD.archived_at IS NOT NULL, COALESCE(OLD.owner, ''),
               OLD.created_at / 86400000, -COUNT(*), -SUM(a.size_bytes)
        FROM artifacts a WHERE a.task_id = OLD.id AND a.state = 'LIVE' GROUP BY a.kind
        ON CONFLICT (project, kind, status, archived, owner, created_day) DO UPDATE
        SET objects = usage_totals.objects + excluded.objects, bytes = usage_totals.bytes + excluded.bytes;
    DELETE FROM task_usage WHERE task_id = OLD.id;
END;

-- a task's row goes: its usage row goes with it (it was marked before, so the row is usually gone)
CREATE TRIGGER IF NOT EXISTS usage_task_deleted AFTER DELETE ON tasks
BEGIN
    DELETE FROM task_usage WHERE task_id = OLD.id;
END;

-- what is stored today
INSERT INTO task_usage (task_id, objects, bytes)
    SELECT a.task_id, COUNT(*), SUM(a.size_bytes) FROM artifacts a JOIN tasks t ON t.id = a.task_id
    WHERE a.state = 'LIVE' AND t.deleting_since IS NULL GROUP BY a.task_id
    ON CONFLICT (task_id) DO NOTHING;
INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT t.project, a.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''), t.created_at / 86400000,
           COUNT(*), SUM(a.size_bytes)
    FROM artifacts a JOIN tasks t ON t.id = a.task_id WHERE a.state = 'LIVE' AND t.deleting_since IS NULL
    GROUP BY t.project, a.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''), t.created_at / 86400000
    ON CONFLICT DO NOTHING;
INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT '', kind, 'DETACHED', FALSE, '', created_at / 86400000, COUNT(*), SUM(size_bytes)
    FROM artifacts WHERE state = 'LIVE' AND task_id IS NULL GROUP BY kind, created_at / 86400000
    ON CONFLICT DO NOTHING;
