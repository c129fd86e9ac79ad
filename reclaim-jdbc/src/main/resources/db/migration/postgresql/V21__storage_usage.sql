-- Storage usage kept up to date by the database itself, in the transaction of every change, so no
-- code path can forget it and a crash cannot split a change from its totals:
--   task_usage   objects and bytes of each task's LIVE artifacts (top tasks by size, sizes column);
--   usage_totals the same summed by project, kind, status, archived, owner and creation day, the
--                finest grain 'reclaim du' groups by;
--   usage_log    changes to usage_totals appended by triggers: inserts never wait on each other, so
--                concurrent writers cannot deadlock on a shared total; the store folds the log into
--                usage_totals (compaction). Readers add both.
-- Triggers are per statement with transition tables: a cleanup page's marks cost one insert.
-- Detached models (no task) count under status DETACHED, project '' and their own creation day.
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE TABLE IF NOT EXISTS task_usage (
    task_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    objects BIGINT NOT NULL,
    bytes   BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_task_usage_bytes ON task_usage (bytes, task_id);

CREATE TABLE IF NOT EXISTS usage_totals (
    project     TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    archived    BOOLEAN NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL,
    created_day BIGINT  NOT NULL,
    objects     BIGINT  NOT NULL,
    bytes       BIGINT  NOT NULL,
    PRIMARY KEY (project, kind, status, archived, owner, created_day)
);

CREATE TABLE IF NOT EXISTS usage_log (
    id          BIGSERIAL PRIMARY KEY,
    project     TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    status      TEXT COLLATE "C" NOT NULL,
    archived    BOOLEAN NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL,
    created_day BIGINT  NOT NULL,
    objects     BIGINT  NOT NULL,
    bytes       BIGINT  NOT NULL
);

-- Applies changes of LIVE artifacts (+1/-1 and their bytes) to the log and to task_usage.
CREATE OR REPLACE FUNCTION reclaim_usage_apply(c_task TEXT[], c_kind TEXT[], c_created BIGINT[], c_d BIGINT[],
                                               c_b BIGINT[]) RETURNS void LANGUAGE sql AS $fn$
    WITH c AS (SELECT * FROM unnest(c_task, c_kind, c_created, c_d, c_b) AS x(task_id, kind, created_at, d, b)),
    logged AS (
        INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
        SELECT COALESCE(t.project, ''), c.kind, COALESCE(t.status, 'DETACHED'), COALESCE(t.archived_at IS NOT NULL, FALSE),
               COALESCE(t.owner, ''), COALESCE(t.created_at, c.created_at) / 86400000, SUM(c.d), SUM(c.b)
        FROM c LEFT JOIN tasks t ON t.id = c.task_id
        WHERE c.task_id IS NULL OR t.id IS NOT NULL
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING SUM(c.d) <> 0 OR SUM(c.b) <> 0
        RETURNING 1)
    INSERT INTO task_usage (task_id, objects, bytes)
        SELECT task_id, SUM(d), SUM(b) FROM c WHERE task_id IS NOT NULL GROUP BY task_id ORDER BY task_id
        ON CONFLICT (task_id) DO UPDATE SET objects = task_usage.objects + excluded.objects,
                                            bytes = task_usage.bytes + excluded.bytes;
$fn$;

CREATE OR REPLACE FUNCTION reclaim_usage_artifacts_inserted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM reclaim_usage_apply(array_agg(task_id), array_agg(kind), array_agg(created_at), array_agg(1::BIGINT),
                                array_agg(size_bytes))
    FROM new_rows WHERE state = 'LIVE' HAVING COUNT(*) > 0;
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION reclaim_usage_artifacts_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM reclaim_usage_apply(array_agg(task_id), array_agg(kind), array_agg(created_at), array_agg(-1::BIGINT),
                                array_agg(-size_bytes))
    FROM old_rows WHERE state = 'LIVE' HAVING COUNT(*) > 0;
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION reclaim_usage_artifacts_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    PERFORM reclaim_usage_apply(array_agg(x.task_id), array_agg(x.kind), array_agg(x.created_at), array_agg(x.d),
                                array_agg(x.b))
    FROM (SELECT o.task_id, o.kind, o.created_at, -1::BIGINT AS d, -o.size_bytes AS b
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.state = 'LIVE' AND (n.state <> 'LIVE' OR o.task_id IS DISTINCT FROM n.task_id OR o.kind <> n.kind
                                      OR o.size_bytes <> n.size_bytes)
          UNION ALL
          SELECT n.task_id, n.kind, n.created_at, 1::BIGINT, n.size_bytes
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE n.state = 'LIVE' AND (o.state <> 'LIVE' OR o.task_id IS DISTINCT FROM n.task_id OR o.kind <> n.kind
                                      OR o.size_bytes <> n.size_bytes)) x
    HAVING COUNT(*) > 0;
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION reclaim_usage_tasks_updated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    INSERT INTO usage_log (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT x.project, a.kind, x.status, x.archived, x.owner, x.created_day, SUM(x.sign), SUM(x.sign * a.size_bytes)
    FROM (SELECT o.id, o.project, o.status, o.archived_at IS NOT NULL AS archived, COALESCE(o.owner, '') AS owner,
                 o.created_at / 86400000 AS created_day, -1 AS sign
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.project <> n.project OR o.status <> n.status OR (o.archived_at IS NULL) <> (n.archived_at IS NULL)
                OR o.owner IS DISTINCT FROM n.owner OR o.created_at / 86400000 <> n.created_at / 86400000
          UNION ALL
          SELECT n.id, n.project, n.status, n.archived_at IS NOT NULL, COALESCE(n.owner, ''), n.created_at / 86400000, 1
          FROM old_rows o JOIN new_rows n ON n.id = o.id
          WHERE o.project <> n.project OR o.status <> n.status OR (o.archived_at IS NULL) <> (n.archived_at IS NULL)
                OR o.owner IS DISTINCT FROM n.owner OR o.created_at / 86400000 <> n.created_at / 86400000) x
    JOIN artifacts a ON a.task_id = x.id AND a.state = 'LIVE'
    GROUP BY 1, 2, 3, 4, 5, 6
    HAVING SUM(x.sign) <> 0 OR SUM(x.sign * a.size_bytes) <> 0;
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION reclaim_usage_tasks_deleted() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM task_usage WHERE task_id IN (SELECT id FROM old_rows);
    RETURN NULL;
END $fn$;

DROP TRIGGER IF EXISTS usage_artifacts_inserted ON artifacts;
CREATE TRIGGER usage_artifacts_inserted AFTER INSERT ON artifacts REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reclaim_usage_artifacts_inserted();
DROP TRIGGER IF EXISTS usage_artifacts_deleted ON artifacts;
CREATE TRIGGER usage_artifacts_deleted AFTER DELETE ON artifacts REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reclaim_usage_artifacts_deleted();
DROP TRIGGER IF EXISTS usage_artifacts_updated ON artifacts;
CREATE TRIGGER usage_artifacts_updated AFTER UPDATE ON artifacts REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reclaim_usage_artifacts_updated();
DROP TRIGGER IF EXISTS usage_tasks_updated ON tasks;
CREATE TRIGGER usage_tasks_updated AFTER UPDATE ON tasks REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reclaim_usage_tasks_updated();
DROP TRIGGER IF EXISTS usage_tasks_deleted ON tasks;
CREATE TRIGGER usage_tasks_deleted AFTER DELETE ON tasks REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reclaim_usage_tasks_deleted();

-- what is stored today
DELETE FROM task_usage;
DELETE FROM usage_totals;
DELETE FROM usage_log;
INSERT INTO task_usage (task_id, objects, bytes)
    SELECT task_id, COUNT(*), SUM(size_bytes) FROM artifacts WHERE state = 'LIVE' AND task_id IS NOT NULL GROUP BY task_id;
INSERT INTO usage_totals (project, kind, status, archived, owner, created_day, objects, bytes)
    SELECT COALESCE(t.project, ''), a.kind, COALESCE(t.status, 'DETACHED'), COALESCE(t.archived_at IS NOT NULL, FALSE),
           COALESCE(t.owner, ''), COALESCE(t.created_at, a.created_at) / 86400000, COUNT(*), SUM(a.size_bytes)
    FROM artifacts a LEFT JOIN tasks t ON t.id = a.task_id
    WHERE a.state = 'LIVE' AND (a.task_id IS NULL OR t.id IS NOT NULL)
    GROUP BY 1, 2, 3, 4, 5, 6;
