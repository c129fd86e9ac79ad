-- A model detached from its deleted task is kept for one of three reasons: a live task uses it
-- as input, it is published, or the deletion was asked to keep every output model. The first
-- ends when its last user is deleted, and the model is then deleted with that user; the other
-- two last until a person removes the model. Published is on the row already; this records the
-- third. A model detached before this version has FALSE: it cannot be told from one whose users
-- are gone, so fsck reports it as a detached model with no user once none uses it.
ALTER TABLE artifacts ADD COLUMN kept_on_request BOOLEAN NOT NULL DEFAULT FALSE;
