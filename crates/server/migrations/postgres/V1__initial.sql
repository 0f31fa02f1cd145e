-- The school server's database. It holds ciphertext and pseudonymous metadata only: no name,
-- no free text, no key that opens a case.

-- Enrolled devices, known by their client certificate.
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    certificate BYTEA NOT NULL UNIQUE,  -- SHA-256 of the client certificate
    public_key BYTEA NOT NULL,           -- X25519, for sealing the school key to it
    coordinator BIGINT NOT NULL,
    enrolled_at BIGINT NOT NULL,       -- ms since the epoch
    last_seen BIGINT,
    revoked_at BIGINT
);

-- Every chain's head.
CREATE TABLE chains (
    device_id TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash BYTEA NOT NULL
);

-- Every sealed event, in the order the server accepted them (the pull cursor).
CREATE TABLE events (
    cursor BIGSERIAL PRIMARY KEY,
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    case_id TEXT NOT NULL,
    hash BYTEA NOT NULL,
    sealed TEXT NOT NULL,               -- the SealedEvent as received, JSON
    UNIQUE (device_id, seq)
);
CREATE INDEX events_by_case ON events (case_id, cursor);

-- A case's wrapped key and the join of its audiences; `widened_at` is the cursor of the
-- event that last widened the audience, so a newly admitted device receives the whole case.
CREATE TABLE cases (
    case_id TEXT PRIMARY KEY,
    audience TEXT NOT NULL,
    wrapped_key BYTEA,
    widened_at BIGINT NOT NULL
);
CREATE INDEX cases_by_widening ON cases (widened_at);

-- Who works at the school (from the school log's headers) and on which device.
CREATE TABLE users (
    user_id TEXT PRIMARY KEY,
    role TEXT NOT NULL
);
CREATE TABLE assignments (
    device_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (device_id, user_id)
);

-- Uploads refused as forks: the same (device, seq) with other content, kept as evidence.
CREATE TABLE forks (
    id BIGSERIAL PRIMARY KEY,
    device_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    sealed TEXT NOT NULL
);

-- Pending enrollment codes: the lookup, the hash of the proof, the school key sealed under
-- the code's secret, and for whom the device is.
CREATE TABLE codes (
    lookup TEXT PRIMARY KEY,
    verifier BYTEA NOT NULL,
    deposit BYTEA,
    users TEXT NOT NULL,
    coordinator BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
