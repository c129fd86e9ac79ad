-- Safe to run again on a schema that has it (an id once made is kept).
-- The task store's own id, made once here, and the artifact roots its records live in. A root
-- carries a marker object naming its id and this store's id (.reclaim-root); Reclaim uses a root
-- only when the marker and the binding here agree, so no store deletes in a folder or bucket prefix
-- that is not its own. Same shape as the SQLite migration V12.
CREATE TABLE IF NOT EXISTS store_identity (
    singleton INTEGER NOT NULL PRIMARY KEY CHECK (singleton = 1),
    store_id  TEXT    COLLATE "C" NOT NULL
);
INSERT INTO store_identity (singleton, store_id) VALUES (1, replace(gen_random_uuid()::text, '-', ''))
    ON CONFLICT (singleton) DO NOTHING;

-- One row per named root; 'default' is the only name today. location is where the root was when it
-- was bound, for messages only: the same root may be reached by other paths from other machines.
CREATE TABLE IF NOT EXISTS artifact_roots (
    name     TEXT   COLLATE "C" NOT NULL PRIMARY KEY,
    root_id  TEXT   COLLATE "C" NOT NULL UNIQUE,
    location TEXT   NOT NULL,
    bound_at BIGINT NOT NULL
);
