-- Sync with the school's server (DESIGN.md §9).

-- This device's enrollment: the server's address and pinned certificate, the device's client
-- certificate and key, the school key, the pull cursor, the last contact.
CREATE TABLE sync (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- One key per case: its events travel encrypted under it; destroying it (retention) makes every
-- copy of the case unreadable.
CREATE TABLE case_keys (
    case_id TEXT PRIMARY KEY,
    key BLOB NOT NULL
) STRICT;

-- Every event in the form the server knows it: sealed under its case key and chained over the
-- ciphertext's digest (meldcode-sync's chain). Own events are sealed once, when first sent, and
-- never again (a second sealing would be another ciphertext: a fork); received ones as received.
CREATE TABLE sealed (
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    hash BLOB NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (device_id, device_seq)
) STRICT;

CREATE TRIGGER sealed_is_never_updated BEFORE UPDATE ON sealed
BEGIN
    SELECT RAISE(ABORT, 'sealed events are append-only');
END;
