-- Who holds a claim on a queue entry, and which process holds a named lease: the text of a
-- ProcessIdentity (host, machine id, boot id, pid namespace, pid, start time). Another process on
-- the same host can then tell that the holder is gone (the pid is free, or now belongs to a process
-- that started at another time, or the host restarted) and take the claim or lease over at once,
-- instead of waiting for it to run out. NULL for claims and leases taken before, and for holders
-- that did not say: those are only taken over when they run out, as before.
ALTER TABLE pending_deletes ADD COLUMN claimed_by TEXT;
ALTER TABLE leases ADD COLUMN holder_process TEXT;
