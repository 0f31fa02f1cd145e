-- Destruction at the end of the retention period (R15, AVG). A destroyed case's records leave
-- the events table; each one's place in its device's chain stays here (hashes only, no content),
-- so that the chains, and every other case in them, still verify.

-- Cases destroyed; the tombstone in the school log says when, by whom and why.
CREATE TABLE destroyed_cases (
    case_id TEXT PRIMARY KEY,
    destroyed_at TEXT NOT NULL
) STRICT;

CREATE TABLE destroyed_events (
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    case_id TEXT NOT NULL REFERENCES destroyed_cases (case_id),
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (device_id, device_seq)
) STRICT;

CREATE TRIGGER destroyed_events_are_never_updated BEFORE UPDATE ON destroyed_events
BEGIN
    SELECT RAISE(ABORT, 'destroyed events are append-only');
END;

CREATE TRIGGER destroyed_events_are_never_deleted BEFORE DELETE ON destroyed_events
BEGIN
    SELECT RAISE(ABORT, 'destroyed events are append-only');
END;

-- The log stays append-only, except for the records of a case whose tombstone is written in the
-- same transaction.
DROP TRIGGER events_are_never_deleted;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
WHEN NOT EXISTS (SELECT 1 FROM destroyed_cases WHERE case_id = OLD.case_id)
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;
