-- Holds: a task or artifact on hold is deleted by no rule, no Cleanup Service run and no delete
-- without force. A task's hold is also its 'hold' system tag, so task queries (and the Cleanup
-- Service's selection) can filter on it; this table says who held what, when and why, for tasks
-- and artifacts alike, and is what 'reclaim holds' lists. A hold is kept apart from the artifact
-- row so that holding or releasing never rewrites a row the deletion paths read.
CREATE TABLE IF NOT EXISTS holds (
    kind    TEXT   NOT NULL,  -- TASK or ARTIFACT
    id      TEXT   NOT NULL,  -- the task's or the artifact's id
    held_at BIGINT NOT NULL,
    held_by TEXT,
    reason  TEXT,
    PRIMARY KEY (kind, id)
);
CREATE INDEX IF NOT EXISTS ix_holds_at ON holds (held_at, kind, id);
