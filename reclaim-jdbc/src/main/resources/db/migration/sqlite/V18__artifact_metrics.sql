-- Numeric metrics reported on an artifact (val_loss of a checkpoint), name -> finite number. Read per
-- artifact and, for a task, through its artifacts (retention by metric keeps the best k of a task).
-- A metric goes with its artifact's record, whichever statement deletes it: SQLite enforces no
-- foreign keys here, so a trigger does it.
-- (IF NOT EXISTS: tests replay later migrations on a store rolled back to an older schema.)
CREATE TABLE IF NOT EXISTS artifact_metrics (
    artifact_id TEXT   NOT NULL,
    name        TEXT   NOT NULL,
    value       DOUBLE NOT NULL,
    PRIMARY KEY (artifact_id, name)
);
CREATE TRIGGER IF NOT EXISTS artifact_metrics_go_with_their_artifact AFTER DELETE ON artifacts
BEGIN
    DELETE FROM artifact_metrics WHERE artifact_id = OLD.id;
END;
