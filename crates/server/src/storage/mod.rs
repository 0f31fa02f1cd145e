//! The server's storage: one `Tx` of plain operations, written once for SQLite and once for
//! PostgreSQL; every rule that decides what to store lives above it, once (`ingest`, `pull`,
//! `enrollment`).

mod postgres;
mod sqlite;

use meldcode_engine::access::Audience;
use meldcode_engine::people::Role;
use meldcode_engine::{CaseId, DeviceId, UserId};
use meldcode_sync::api::{Head, PinVersion, SealedPin};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::receive::Directory;
use meldcode_sync::{ErrorCode, Hash, SyncError};
use std::path::Path;

pub use self::postgres::PgStorage;
pub use self::sqlite::SqliteStorage;

/// A storage failure: logged for the operator (it holds no personal data: the server has
/// none), answered to the device as `internal`.
#[derive(Debug)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StorageError {}

impl From<rusqlite::Error> for StorageError {
    fn from(e: rusqlite::Error) -> Self {
        Self(format!("sqlite: {e}"))
    }
}

impl From<::postgres::Error> for StorageError {
    fn from(e: ::postgres::Error) -> Self {
        postgres::pg(e)
    }
}

impl From<StorageError> for SyncError {
    fn from(e: StorageError) -> Self {
        tracing::error!(error = %e, "storage");
        SyncError::new(
            ErrorCode::Internal,
            "the server could not read or write its database; nothing was stored",
        )
    }
}

pub type Result<T> = std::result::Result<T, StorageError>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceRecord {
    pub device_id: DeviceId,
    /// SHA-256 of the device's client certificate.
    pub certificate: Hash,
    pub public_key: Vec<u8>,
    pub coordinator: bool,
    pub enrolled_at: u64,
    pub last_seen: Option<u64>,
    pub revoked_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeRecord {
    pub lookup: String,
    pub verifier: Hash,
    pub deposit: Option<Vec<u8>>,
    pub users: Vec<UserId>,
    pub coordinator: bool,
    pub expires_at: u64,
    pub used_at: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaseRow {
    pub audience: Audience,
    pub wrapped_key: Option<Vec<u8>>,
    pub widened_at: u64,
}

/// An event as stored: its cursor, its case, and the sealed event's JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredEvent {
    pub cursor: u64,
    pub case_id: CaseId,
    pub sealed: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub devices: u64,
    pub revoked: u64,
    pub events: u64,
    pub cases: u64,
    pub forks: u64,
    pub destroyed: u64,
}

/// The operations of one transaction. Nothing here decides anything.
pub trait Tx {
    fn tip(&mut self, device: DeviceId) -> Result<ChainTip>;
    fn stored_hash(&mut self, device: DeviceId, seq: u64) -> Result<Option<Hash>>;
    /// Returns the new event's cursor.
    fn insert_event(
        &mut self,
        device: DeviceId,
        seq: u64,
        case: CaseId,
        hash: &Hash,
        sealed: &str,
    ) -> Result<u64>;
    fn set_tip(&mut self, device: DeviceId, tip: &ChainTip) -> Result<()>;
    fn heads(&mut self) -> Result<Vec<Head>>;
    fn keep_fork(&mut self, device: DeviceId, seq: u64, now: u64, sealed: &str) -> Result<()>;

    fn case(&mut self, case: CaseId) -> Result<Option<CaseRow>>;
    fn put_case(&mut self, case: CaseId, row: &CaseRow) -> Result<()>;

    fn directory(&mut self) -> Result<Directory>;
    fn set_role(&mut self, user: UserId, role: Role) -> Result<()>;
    /// Removes the user, every assignment of theirs and their PIN package.
    fn remove_user(&mut self, user: UserId) -> Result<()>;
    fn assign(&mut self, device: DeviceId, user: UserId) -> Result<()>;
    fn unassign(&mut self, device: DeviceId, user: UserId) -> Result<()>;

    /// Keeps `pin` as its user's PIN package when its version is higher than the one held (or
    /// none is held); returns whether it did.
    fn put_pin(&mut self, pin: &SealedPin) -> Result<bool>;
    /// The PIN packages held for `users`, in the order of `users` (those without one left out).
    fn pins_of(&mut self, users: &[UserId]) -> Result<Vec<SealedPin>>;
    /// The version of every package held.
    fn pin_versions(&mut self) -> Result<Vec<PinVersion>>;

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRecord>>;
    fn device_by_certificate(&mut self, certificate: &Hash) -> Result<Option<DeviceRecord>>;
    fn devices(&mut self) -> Result<Vec<DeviceRecord>>;
    fn insert_device(&mut self, device: &DeviceRecord) -> Result<()>;
    fn revoke(&mut self, device: DeviceId, now: u64) -> Result<bool>;
    fn touch(&mut self, device: DeviceId, now: u64) -> Result<()>;

    fn insert_code(&mut self, code: &CodeRecord) -> Result<()>;
    fn code(&mut self, lookup: &str) -> Result<Option<CodeRecord>>;
    fn use_code(&mut self, lookup: &str, now: u64) -> Result<()>;

    fn events_after(&mut self, after: u64, limit: u64) -> Result<Vec<StoredEvent>>;
    fn events_of_case(&mut self, case: CaseId, up_to: u64) -> Result<Vec<StoredEvent>>;
    fn cases_widened_after(&mut self, after: u64) -> Result<Vec<CaseId>>;
    /// Marks every case as widened at `cursor`: who may see what changed for the whole school
    /// (a role), so each device gets again the history of every case it may now see.
    fn widen_all(&mut self, cursor: u64) -> Result<()>;
    fn latest_cursor(&mut self) -> Result<u64>;

    /// Replaces the stored JSON of the event at `cursor` (a destroyed case's, without payload).
    fn replace_sealed(&mut self, cursor: u64, sealed: &str) -> Result<()>;
    /// Every fork kept as evidence: its id and sealed JSON.
    fn forks(&mut self) -> Result<Vec<(u64, String)>>;
    fn replace_fork(&mut self, id: u64, sealed: &str) -> Result<()>;
    fn is_destroyed(&mut self, case: CaseId) -> Result<bool>;
    /// Records `case` as destroyed by the tombstone at cursor `at` and drops its wrapped key.
    fn mark_destroyed(&mut self, case: CaseId, at: u64) -> Result<()>;
    fn counts(&mut self) -> Result<Counts>;
}

/// The server's database, one of two kinds.
pub enum Storage {
    Sqlite(SqliteStorage),
    Postgres(PgStorage),
}

impl Storage {
    /// `database_url` (`postgres://…`) when given, else `meldcode-server.sqlite` in `data_dir`.
    pub fn open(data_dir: &Path, database_url: Option<&str>) -> Result<Self> {
        match database_url {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(PgStorage::connect(url)?))
            }
            Some(other) => Err(StorageError(format!(
                "unsupported database URL scheme in {:?}; use postgres://",
                other.split(':').next().unwrap_or("")
            ))),
            None => Ok(Self::Sqlite(SqliteStorage::open(
                &data_dir.join(sqlite::FILE),
            )?)),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Self::Sqlite(_) => "sqlite",
            Self::Postgres(_) => "postgresql",
        }
    }

    /// Runs `f` in one transaction that writes, serialised with every other writer (also of
    /// other server processes on the same PostgreSQL), so cursors commit in order and a
    /// pull never skips an event that commits later with a smaller cursor. Commits when `f`
    /// returns `Ok`, also when the inner result is a refusal that kept evidence.
    pub fn write<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        match self {
            Self::Sqlite(s) => s.write(f),
            Self::Postgres(s) => s.write(f),
        }
    }

    /// After a destruction: the space the erased payloads and keys took is rewritten, so no
    /// old copy of them stays in the database's files (SQLite: its WAL is emptied into the
    /// file, whose freed space `secure_delete` zeroed; PostgreSQL: the tables are rewritten
    /// with `VACUUM FULL`).
    pub fn erase_freed(&self) -> Result<()> {
        match self {
            Self::Sqlite(s) => s.erase_freed(),
            Self::Postgres(s) => s.erase_freed(),
        }
    }

    /// Runs `f` on a consistent snapshot.
    pub fn read<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        match self {
            Self::Sqlite(s) => s.read(f),
            Self::Postgres(s) => s.read(f),
        }
    }
}

pub(crate) fn role_text(role: Role) -> String {
    serde_json::to_string(&role)
        .unwrap_or_default()
        .trim_matches('"')
        .to_owned()
}

pub(crate) fn parse_role(text: &str) -> Result<Role> {
    serde_json::from_value(serde_json::Value::String(text.to_owned()))
        .map_err(|_| StorageError(format!("unknown role {text:?} in the database")))
}

pub(crate) fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T> {
    text.parse()
        .map_err(|_| StorageError("an id in the database does not parse".into()))
}

pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

pub(crate) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(crate) fn pin_version(n: i64) -> Result<u32> {
    u32::try_from(n)
        .map_err(|_| StorageError("a PIN package's version in the database is out of range".into()))
}

pub(crate) fn hash_of(bytes: &[u8]) -> Result<Hash> {
    Hash::from_slice(bytes)
        .ok_or_else(|| StorageError("a hash in the database is not 32 bytes".into()))
}

pub(crate) fn users_text(users: &[UserId]) -> String {
    serde_json::to_string(users).unwrap_or_default()
}

pub(crate) fn parse_users(text: &str) -> Result<Vec<UserId>> {
    serde_json::from_str(text)
        .map_err(|_| StorageError("a user list in the database does not parse".into()))
}

pub(crate) fn audience_text(a: &Audience) -> String {
    serde_json::to_string(a).unwrap_or_default()
}

pub(crate) fn parse_audience(text: &str) -> Result<Audience> {
    serde_json::from_str(text)
        .map_err(|_| StorageError("an audience in the database does not parse".into()))
}
