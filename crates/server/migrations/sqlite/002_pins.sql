-- Each user's newest PIN package, sealed under a key derived from the school key (which the
-- server never holds): the devices of the same user fetch it, the server cannot open it.
CREATE TABLE pins (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL
);
