-- A whole-task queue entry stands for every object of one task's DELETING artifacts: a cleanup
-- page of small tasks whose objects no other artifact shares queues one entry per task instead of
-- one per object (each object's entry was written three times: queued, claimed, removed). Such an
-- entry's storage_key is '/task/' followed by the task id, which no storage key can be (keys are
-- relative), and objects says how many objects it stands for; an entry for one key has 1.
ALTER TABLE pending_deletes ADD COLUMN objects BIGINT NOT NULL DEFAULT 1;
