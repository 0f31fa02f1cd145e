-- Settings of this store: the school profile and the device id.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Staff who use the app. PINs live in the vault file, never here.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    added_at TEXT NOT NULL
) STRICT;

-- The append-only event log. Each device chains its own events: hash = SHA-256(prev_hash || body),
-- body being the envelope's canonical JSON.
CREATE TABLE events (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL,
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    prev_hash BLOB NOT NULL,
    hash BLOB NOT NULL,
    UNIQUE (device_id, device_seq)
) STRICT;

CREATE INDEX events_by_case ON events (case_id, seq);

CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

-- Projection for fast lists, rewritten in the same transaction as each append.
CREATE TABLE cases (
    case_id TEXT PRIMARY KEY,
    pupil_name TEXT NOT NULL,
    pupil_group TEXT NOT NULL,
    step INTEGER NOT NULL,
    next_due TEXT,
    closed INTEGER NOT NULL,
    last_recorded_at TEXT NOT NULL,
    summary TEXT NOT NULL,
    audience TEXT NOT NULL
) STRICT;

CREATE INDEX cases_by_due ON cases (closed, next_due);
