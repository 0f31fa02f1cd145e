//! Identifiers. UUIDs throughout so that records made on different devices never collide.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub struct $name(pub Uuid);

        impl $name {
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// One concern about one pupil.
    CaseId
);
id_type!(
    /// One event (record) in the append-only log; a UUIDv7, so ids sort by creation time.
    EventId
);
id_type!(
    /// A staff member who uses the app.
    UserId
);
id_type!(
    /// A pupil of the school.
    PupilId
);
id_type!(
    /// One installation of the app; each device numbers and chains its own events.
    DeviceId
);

impl EventId {
    /// A UUIDv7 from a millisecond timestamp and ten random bytes supplied by the caller
    /// (the engine draws no randomness itself, so ids are reproducible in tests).
    pub fn new_v7(unix_ms: u64, random: [u8; 10]) -> Self {
        Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }
}
