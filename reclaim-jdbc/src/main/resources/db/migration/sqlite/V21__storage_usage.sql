-- Storage usage kept up to date by the database itself, in the transaction of every change, so no
-- code path can forget it and a crash cannot split a change from its totals:
--   task_usage   objects and bytes of each task's LIVE artifacts (top tasks by size, sizes column);
--   usage_totals the same summed by project, kind, status, archived, owner and creation day, the
--                finest grain 'reclaim du' groups by;
--   usage_log    changes to usage_totals appended by triggers (inserts never wait on each other),
--                folded into usage_totals by the store (compaction). Readers add both.
-- Detached models (no task) count under status DETACHED, project '' and their own creation day.
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE TABLE IF NOT EXISTS task_usage (
    task_id TEXT   NOT NULL PRIMARY KEY,
    objects BIGINT NOT NULL,
    bytes   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_task_usage_bytes ON task_usage (bytes, task_id);

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
);

CREATE TABLE IF NOT EXISTS usage_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    project     TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    archived    BOOLEAN NOT NULL,
    owner       TEXT    NOT NULL,
    created_day BIGINT  NOT NULL,
    objects     BIGINT  NOT NULL,
    bytes       BIGINT  NOT NULL
);

-- an artifact becomes LIVE: inserted LIVE
CREATE TRIGGER IF NOT EXISTS usage_artifact_inserted AFTER INSERT ON artifacts WHEN NEW.state = 'LIVE'
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, NEW.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id;
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', NEW.kind, 'DETACHED', FALSE, '', NEW.created_at / 86400000, 1, NEW.size_bytes
        WHERE NEW.task_id IS NULL;
    INSERT INTO task_usage (task_id, objects, bytes) SELECT NEW.task_id, 1, NEW.size_bytes WHERE NEW.task_id IS NOT NULL
        ON CONFLICT (task_id) DO UPDATE SET objects = objects + 1, bytes = bytes + excluded.bytes;
END;

-- a LIVE artifact's record is deleted
CREATE TRIGGER IF NOT EXISTS usage_artifact_deleted AFTER DELETE ON artifacts WHEN OLD.state = 'LIVE'
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, OLD.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, -1, -OLD.size_bytes FROM tasks t WHERE t.id = OLD.task_id;
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', OLD.kind, 'DETACHED', FALSE, '', OLD.created_at / 86400000, -1, -OLD.size_bytes
        WHERE OLD.task_id IS NULL;
    UPDATE task_usage SET objects = objects - 1, bytes = bytes - OLD.size_bytes WHERE task_id = OLD.task_id;
END;

-- a LIVE artifact stops counting where it counted: it leaves LIVE, or its task, kind or size change
CREATE TRIGGER IF NOT EXISTS usage_artifact_left AFTER UPDATE OF state, task_id, kind, size_bytes ON artifacts
    WHEN OLD.state = 'LIVE' AND (NEW.state <> 'LIVE' OR OLD.task_id IS NOT NEW.task_id OR OLD.kind <> NEW.kind
                                 OR OLD.size_bytes <> NEW.size_bytes)
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, OLD.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, -1, -OLD.size_bytes FROM tasks t WHERE t.id = OLD.task_id;
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', OLD.kind, 'DETACHED', FALSE, '', OLD.created_at / 86400000, -1, -OLD.size_bytes
        WHERE OLD.task_id IS NULL;
    UPDATE task_usage SET objects = objects - 1, bytes = bytes - OLD.size_bytes WHERE task_id = OLD.task_id;
END;

-- an artifact starts counting: it becomes LIVE, or a LIVE one moves to another task, kind or size
CREATE TRIGGER IF NOT EXISTS usage_artifact_entered AFTER UPDATE OF state, task_id, kind, size_bytes ON artifacts
    WHEN NEW.state = 'LIVE' AND (OLD.state <> 'LIVE' OR OLD.task_id IS NOT NEW.task_id OR OLD.kind <> NEW.kind
                                 OR OLD.size_bytes <> NEW.size_bytes)
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT t.project, NEW.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''),
               t.created_at / 86400000, 1, NEW.size_bytes FROM tasks t WHERE t.id = NEW.task_id;
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT '', NEW.kind, 'DETACHED', FALSE, '', NEW.created_at / 86400000, 1, NEW.size_bytes
        WHERE NEW.task_id IS NULL;
    INSERT INTO task_usage (task_id, objects, bytes) SELECT NEW.task_id, 1, NEW.size_bytes WHERE NEW.task_id IS NOT NULL
        ON CONFLICT (task_id) DO UPDATE SET objects = objects + 1, bytes = bytes + excluded.bytes;
END;

-- a task's LIVE artifacts move between groups when what it is grouped by changes
CREATE TRIGGER IF NOT EXISTS usage_task_regrouped AFTER UPDATE OF project, status, archived_at, owner, created_at ON tasks
    WHEN OLD.project <> NEW.project OR OLD.status <> NEW.status OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL)
         OR OLD.owner IS NOT NEW.owner OR OLD.created_at / 86400000 <> NEW.created_at / 86400000
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT OLD.project, a.kind, OLD.status, OLD.archived_at IS NOT NULL, COALESCE(OLD.owner, ''),
               OLD.created_at / 86400000, -COUNT(*), -SUM(a.size_bytes)
        FROM artifacts a WHERE a.task_id = OLD.id AND a.state = 'LIVE' GROUP BY a.kind;
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT NEW.project, a.kind, NEW.status, NEW.archived_at IS NOT NULL, COALESCE(NEW.owner, ''),
               NEW.created_at / 86400000, COUNT(*), SUM(a.size_bytes)
        FROM artifacts a WHERE a.task_id = NEW.id AND a.state = 'LIVE' GROUP BY a.kind;
END;

-- a task's row goes: its usage row goes with it (its artifacts were deleted or detached before)
CREATE TRIGGER IF NOT EXISTS usage_task_deleted AFTER DELETE ON tasks
BEGIN
    DELETE FROM task_usage WHERE task_id = OLD.id;
END;

-- what is stored today
INSERT INTO task_usage (task_id, objects, bytes)
    SELECT task_id, COUNT(*), SUM(size_bytes) FROM artifacts WHERE state = 'LIVE' AND task_id IS NOT NULL GROUP BY task_id
    ON CONFLICT (task_id) DO NOTHING;
INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT t.project, a.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''), t.created_at / 86400000,
           COUNT(*), SUM(a.size_bytes)
    FROM artifacts a JOIN tasks t ON t.id = a.task_id WHERE a.state = 'LIVE'
    GROUP BY t.project, a.kind, t.status, t.archived_at IS NOT NULL, COALESCE(t.owner, ''), t.created_at / 86400000
    ON CONFLICT DO NOTHING;
INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT '', kind, 'DETACHED', FALSE, '', created_at / 86400000, COUNT(*), SUM(size_bytes)
    FROM artifacts WHERE state = 'LIVE' AND task_id IS NULL GROUP BY kind, created_at / 86400000
    ON CONFLICT DO NOTHING;
