-- Each deletion's audit line keeps when the deleted task (or detached model) was created, so the
-- storage history can be rebuilt from what is stored now (counted by creation day) plus what the
-- audit says was freed since, without a table written on every change. Older lines have none; they
-- count as created before any window asked for.
ALTER TABLE audit ADD COLUMN task_created_at BIGINT;
