-- PIN packages (vault/school_pin.rs), encrypted under the school's PIN key as the server holds
-- them: the newest one heard of for each user of this device, and the ones made on this device
-- that the server has not taken yet.
CREATE TABLE pins (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL
) STRICT;

CREATE TABLE pins_out (
    user_id TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
