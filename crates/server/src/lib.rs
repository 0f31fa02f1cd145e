//! `meldcode-server`: the school's server. It relays sealed events between the school's
//! enrolled devices, checks every chain, keeps every chain's head, and decides from metadata
//! alone which device receives which case. It can read no dossier.

mod destruction;
pub mod enrollment;
pub mod http;
pub mod ingest;
pub mod pins;
pub mod pull;
pub mod storage;
pub mod tls;

/// Milliseconds since the Unix epoch: the server's one clock.
pub fn now_ms() -> u64 {
    u64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis()),
    )
    .unwrap_or(u64::MAX)
}
