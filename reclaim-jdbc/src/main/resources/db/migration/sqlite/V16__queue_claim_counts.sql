-- How many times a queue entry was claimed. An entry claimed before was handed to a purger that may
-- have deleted some of its objects and then died before recording it: an object such an entry finds
-- absent was freed by this deletion, and is counted. An entry claimed for the first time that finds
-- its object absent freed nothing (an upload that never finished), and is not.
ALTER TABLE pending_deletes ADD COLUMN claims INTEGER NOT NULL DEFAULT 0;
