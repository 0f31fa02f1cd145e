-- Cases destroyed at the end of their retention period (R15, AVG), as a coordinator's tombstone
-- in the school log said. Their events stay as links in their devices' chains, without payload;
-- their key is gone. `destroyed_at` is the tombstone's cursor.
CREATE TABLE destroyed_cases (
    case_id TEXT PRIMARY KEY,
    destroyed_at INTEGER NOT NULL
);
