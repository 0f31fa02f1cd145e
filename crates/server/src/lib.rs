//! `meldcode-server`: the school's server. It relays sealed events between the school's
//! enrolled devices, checks every chain, keeps every chain's head, and decides from metadata
//! alone which device receives which case. It can read no dossier.

pub mod enrollment;
pub mod http;
pub mod ingest;
pub mod pull;
pub mod storage;
pub mod tls;
