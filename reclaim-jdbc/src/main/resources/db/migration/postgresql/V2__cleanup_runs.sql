-- Cleanup Service run history: one row per run, the report as JSON (bounded: at most 1,000 item lines).
CREATE TABLE cleanup_runs (
    id              TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    service_task_id TEXT,
    started_at      BIGINT  NOT NULL,
    ended_at        BIGINT  NOT NULL,
    dry_run         BOOLEAN NOT NULL,
    deleted         BIGINT  NOT NULL,
    bytes           BIGINT  NOT NULL,
    report          JSON    NOT NULL
);
CREATE INDEX ix_cleanup_runs_started ON cleanup_runs (started_at, id);
