-- Reclaim schema for SQLite. Instants are BIGINT epoch milliseconds (UTC): the store keeps
-- millisecond precision and returns instants truncated to the millisecond. Booleans are 0/1.

CREATE TABLE tasks (
    id                   TEXT    NOT NULL PRIMARY KEY,
    name                 TEXT    NOT NULL,
    project              TEXT    NOT NULL,
    type                 TEXT,
    owner                TEXT,
    status               TEXT    NOT NULL,
    created_at           BIGINT  NOT NULL,
    started_at           BIGINT,
    ended_at             BIGINT,
    status_changed_at    BIGINT  NOT NULL,
    last_update_at       BIGINT  NOT NULL,
    archived_at          BIGINT,
    results_retrieved_at BIGINT,
    parent_id            TEXT,
    queue                TEXT,
    spec                 TEXT,
    opt_wait             BOOLEAN,
    opt_auto_cleanup     BOOLEAN,
    opt_console_output   BOOLEAN,
    worker_id            TEXT,
    lease_expires_at     BIGINT,
    exit_code            INTEGER,
    error                TEXT,
    params               TEXT    NOT NULL DEFAULT '{}',   -- JSON object of string values
    -- deletion in progress (not part of the Task record except deleting_since)
    deleting_since       BIGINT,                          -- set: whole task marked, no longer live
    delete_whole         BOOLEAN NOT NULL DEFAULT FALSE,
    delete_actor         TEXT,
    delete_reason        TEXT,
    delete_action        TEXT,                            -- delete-task | delete-artifacts
    version              BIGINT  NOT NULL
);

CREATE INDEX ix_tasks_status            ON tasks (status);
CREATE INDEX ix_tasks_project           ON tasks (project);
CREATE INDEX ix_tasks_archived_at       ON tasks (archived_at);
CREATE INDEX ix_tasks_status_changed_at ON tasks (status_changed_at);
CREATE INDEX ix_tasks_last_update_at    ON tasks (last_update_at);
CREATE INDEX ix_tasks_created_at        ON tasks (created_at);
CREATE INDEX ix_tasks_parent            ON tasks (parent_id);
CREATE INDEX ix_tasks_claim             ON tasks (queue, status, id);
CREATE INDEX ix_tasks_deleting          ON tasks (id) WHERE deleting_since IS NOT NULL;

CREATE TABLE task_tags (
    task_id   TEXT    NOT NULL REFERENCES tasks (id),
    is_system BOOLEAN NOT NULL,
    tag       TEXT    NOT NULL,
    PRIMARY KEY (task_id, is_system, tag)
);
CREATE INDEX ix_task_tags_tag ON task_tags (is_system, tag, task_id);

CREATE TABLE artifacts (
    id          TEXT    NOT NULL PRIMARY KEY,
    task_id     TEXT    REFERENCES tasks (id),            -- NULL: model kept after its task was deleted
    kind        TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    storage_key TEXT    NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    published   BOOLEAN NOT NULL DEFAULT FALSE,
    state       TEXT    NOT NULL                          -- PENDING | LIVE | DELETING
);
CREATE INDEX ix_artifacts_task        ON artifacts (task_id, state);
CREATE INDEX ix_artifacts_storage_key ON artifacts (storage_key, state);
CREATE INDEX ix_artifacts_deleting    ON artifacts (task_id) WHERE state = 'DELETING';

-- input models of a task, in order
CREATE TABLE task_inputs (
    task_id     TEXT    NOT NULL REFERENCES tasks (id),
    position    INTEGER NOT NULL,
    artifact_id TEXT    NOT NULL REFERENCES artifacts (id),
    PRIMARY KEY (task_id, position)
);
CREATE INDEX ix_task_inputs_artifact ON task_inputs (artifact_id);

CREATE TABLE console_chunks (
    task_id TEXT    NOT NULL REFERENCES tasks (id),
    seq     INTEGER NOT NULL,
    text    TEXT    NOT NULL,
    PRIMARY KEY (task_id, seq)
);

-- the durable outbox of stored objects to delete; DONE rows stay until the task's deletion finishes
CREATE TABLE pending_deletes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    storage_key     TEXT    NOT NULL,
    task_id         TEXT,
    size_bytes      BIGINT  NOT NULL,
    state           TEXT    NOT NULL,                     -- OPEN | DONE
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    next_attempt_at BIGINT  NOT NULL,
    claimed_until   BIGINT,
    created_at      BIGINT  NOT NULL
);
CREATE UNIQUE INDEX ux_pending_deletes_open_key ON pending_deletes (storage_key) WHERE state = 'OPEN';
CREATE INDEX ix_pending_deletes_due  ON pending_deletes (state, next_attempt_at, id);
CREATE INDEX ix_pending_deletes_task ON pending_deletes (task_id, state);

CREATE TABLE workers (
    id           TEXT    NOT NULL PRIMARY KEY,
    host         TEXT,
    pid          BIGINT  NOT NULL,
    queues       TEXT    NOT NULL,                        -- JSON array
    slots        INTEGER NOT NULL,
    started_at   BIGINT  NOT NULL,
    heartbeat_at BIGINT  NOT NULL
);

CREATE TABLE leases (
    name       TEXT   NOT NULL PRIMARY KEY,
    holder     TEXT   NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        BIGINT  NOT NULL,
    actor     TEXT,
    action    TEXT    NOT NULL,
    task_id   TEXT    NOT NULL,
    task_name TEXT,
    project   TEXT,
    reason    TEXT,
    objects   BIGINT  NOT NULL,
    bytes     BIGINT  NOT NULL
);
CREATE INDEX ix_audit_at ON audit (at, id);
