-- The sync spool (sync.db): what travels between this device and the school's server. It holds
-- only what the server holds too, plus the connection and the round's bookkeeping.

-- server, fingerprint, certificate, client_key; queued_seq/queued_hash (this device's chain as
-- far as it was handed over), confirmed (as far as the server holds it), cursor (as far as this
-- device downloaded), heads, users; last_contact, offline_since, problem, rolled_back, revoked.
CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Own sealed events the server has not confirmed yet.
CREATE TABLE outgoing (
    seq INTEGER PRIMARY KEY,
    body TEXT NOT NULL
) STRICT;

-- The case keys of own events, wrapped by the school key, for the server to pass on.
CREATE TABLE case_keys (
    case_id TEXT PRIMARY KEY,
    wrapped TEXT NOT NULL
) STRICT;

-- Pages received and not yet taken into the dossier (which needs a user's PIN to open).
CREATE TABLE incoming (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    body TEXT NOT NULL
) STRICT;
