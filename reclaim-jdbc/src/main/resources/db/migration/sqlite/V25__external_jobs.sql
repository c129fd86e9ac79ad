-- Jobs a cluster manager runs (Slurm): which monitor submitted each, the manager's id, the last state
-- it reported and how much of its console file was copied, so a monitor that restarts picks its jobs
-- up again and a job keeps its last known state while the manager does not answer. The primary key
-- makes taking a job for submission atomic: one monitor submits it.
CREATE TABLE IF NOT EXISTS external_jobs (
    task_id        TEXT   NOT NULL PRIMARY KEY,
    executor       TEXT   NOT NULL,
    monitor_id     TEXT   NOT NULL,
    external_id    TEXT,
    state          TEXT,
    reason         TEXT,
    console_offset BIGINT NOT NULL DEFAULT 0,
    submitted_at   BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_external_jobs_executor ON external_jobs (executor, task_id);
