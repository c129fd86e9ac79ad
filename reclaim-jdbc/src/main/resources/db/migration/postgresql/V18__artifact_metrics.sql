-- Numeric metrics reported on an artifact (val_loss of a checkpoint), name -> finite number. Read per
-- artifact and, for a task, through its artifacts (retention by metric keeps the best k of a task).
-- A metric goes with its artifact's record, whichever statement deletes it (ON DELETE CASCADE).
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE TABLE IF NOT EXISTS artifact_metrics (
    artifact_id TEXT COLLATE "C" NOT NULL REFERENCES artifacts (id) ON DELETE CASCADE,
    name        TEXT COLLATE "C" NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (artifact_id, name)
);
