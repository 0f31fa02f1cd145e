//! The sync spool: what travels between this device and the school's server, kept apart from the
//! dossier so that sync goes on while the app is locked and never holds the dossier's lock over
//! the network.
//!
//! It is a SQLCipher database of its own (`sync.db`) keyed from the device secret in the OS
//! keyring, which is there without a PIN: it holds only what the server holds too (sealed events
//! whose payload is encrypted under case keys, wrapped case keys, headers) plus the connection
//! (server, pinned certificate, this device's client certificate and key) and the round's
//! bookkeeping. The dossier moves its own sealed events here after each commit (`queue`) and
//! takes received pages from here when unlocked (`pages`); nothing here is ever decrypted,
//! except the users' PIN packages, with the school's PIN key kept here for that (a locked
//! device must know a PIN changed elsewhere: `vault::school_pin`).

use super::transport::{ClientIdentity, Pin, Transport};
use super::{ServerHead, SyncLine, SyncStatus};
use crate::crypto::{self, Key};
use crate::error::{ErrorBody, Result, StoreError};
use chrono::{DateTime, Duration as Days, Utc};
use meldcode_engine::profile::DEFAULT_CONTACT_LIMIT_DAYS;
use meldcode_sync::api::{Head, Hello, PullPage, Upload};
use meldcode_sync::ingest::{ChainTip, MAX_BATCH};
use meldcode_sync::keys::WrappedCaseKey;
use meldcode_sync::{ErrorCode, Hash, SealedEvent};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::Duration;
use zeroize::Zeroizing;

mod pins;

pub const SPOOL_FILE: &str = "sync.db";

const PAGE: u64 = 500;

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/spool/001.sql")),
        M::up(include_str!("../../migrations/spool/002.sql")),
    ])
});

pub fn spool_path(dir: &Path) -> PathBuf {
    dir.join(SPOOL_FILE)
}

fn damaged() -> StoreError {
    StoreError::Damaged {
        detail: "de wachtrij voor de schoolserver".into(),
    }
}

fn spool_key(device_secret: &Key) -> Result<Key> {
    crypto::derive_subkey(device_secret, b"meldcode sync spool v1")
}

/// Where the server is and how this device proves itself to it.
pub(crate) struct Link {
    pub server: String,
    pub fingerprint: Hash,
    pub identity: ClientIdentity,
}

/// What one network round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RoundReport {
    pub sent: u64,
    pub received: u64,
}

pub struct Spool {
    conn: Connection,
    /// Made once per spool: one HTTP client (with its runtime thread) and its kept-alive TLS
    /// connection serve every round, instead of a handshake per round.
    transport: std::sync::OnceLock<Transport>,
}

impl Spool {
    /// Opens the spool of an enrolled device, or `None` when this device is not enrolled.
    pub fn open(dir: &Path, device_secret: &Key) -> Result<Option<Self>> {
        let path = spool_path(dir);
        if !path.exists() {
            return Ok(None);
        }
        Self::open_at(&path, device_secret).map(Some)
    }

    fn open_at(path: &Path, device_secret: &Key) -> Result<Self> {
        let mut conn = crate::db::open_keyed(path, &spool_key(device_secret)?)?;
        MIGRATIONS.to_latest(&mut conn)?;
        Ok(Self {
            conn,
            transport: std::sync::OnceLock::new(),
        })
    }

    /// Opens the spool of the device whose data folder is `dir` with the secret from the OS
    /// keyring, as the app does while locked. `None` when there is no data or no enrollment.
    pub fn open_locked(dir: &Path) -> Result<Option<Self>> {
        if !spool_path(dir).exists() {
            return Ok(None);
        }
        let vault = crate::vault::RawVault::read(&crate::store::vault_path(dir))?;
        let entry = crate::keyring::load_device_entry(vault.device_id())?;
        Self::open(dir, &entry.secret)
    }

    pub(crate) fn create(dir: &Path, device_secret: &Key, link: &Link) -> Result<Self> {
        let spool = Self::open_at(&spool_path(dir), device_secret)?;
        spool.set("server", &link.server)?;
        spool.set("fingerprint", &link.fingerprint.hex())?;
        spool.set("certificate", &link.identity.certificate_pem)?;
        spool.set("client_key", &link.identity.key_pem)?;
        Ok(spool)
    }

    fn get(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM state WHERE key = ?1")?
            .query_row(params![key], |r| r.get(0))
            .optional()?)
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )?
            .execute(params![key, value])?;
        Ok(())
    }

    fn clear(&self, key: &str) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM state WHERE key = ?1")?
            .execute(params![key])?;
        Ok(())
    }

    fn get_u64(&self, key: &str) -> Result<u64> {
        Ok(self.get(key)?.and_then(|v| v.parse().ok()).unwrap_or(0))
    }

    fn get_time(&self, key: &str) -> Result<Option<DateTime<Utc>>> {
        Ok(self
            .get(key)?
            .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
            .map(|t| t.with_timezone(&Utc)))
    }

    pub(crate) fn link(&self) -> Result<Link> {
        let text = |k: &str| self.get(k)?.ok_or_else(damaged);
        Ok(Link {
            server: text("server")?,
            fingerprint: Hash::parse_hex(&text("fingerprint")?).ok_or_else(damaged)?,
            identity: ClientIdentity {
                certificate_pem: text("certificate")?,
                key_pem: Zeroizing::new(text("client_key")?),
            },
        })
    }

    pub fn transport(&self) -> Result<Transport> {
        if let Some(transport) = self.transport.get() {
            return Ok(transport.clone());
        }
        let link = self.link()?;
        let transport = Transport::new(&link.server, Pin::Full(link.fingerprint), &link.identity)?;
        Ok(self.transport.get_or_init(|| transport).clone())
    }

    /// A destroyed case's wrapped key leaves the spool: nothing here opens its events any more.
    pub(crate) fn forget_case(&self, case: meldcode_engine::CaseId) -> Result<()> {
        self.conn.execute(
            "DELETE FROM case_keys WHERE case_id = ?1",
            rusqlite::params![case.to_string()],
        )?;
        Ok(())
    }

    /// The last own event queued: (seq, hash); the chain's tip as far as the server can know.
    pub(crate) fn queued_tip(&self) -> Result<(u64, Hash)> {
        let seq = self.get_u64("queued_seq")?;
        if seq == 0 {
            return Ok((0, Hash::GENESIS));
        }
        let hash = self
            .get("queued_hash")?
            .and_then(|h| Hash::parse_hex(&h))
            .ok_or_else(damaged)?;
        Ok((seq, hash))
    }

    /// Adds own sealed events (in chain order, following the queued tip) and the keys of their
    /// cases wrapped by the school key. One transaction: the tip moves with the events.
    pub(crate) fn queue(&mut self, events: &[SealedEvent], keys: &[WrappedCaseKey]) -> Result<()> {
        if events.is_empty() {
            return Ok(());
        }
        let (mut tip, _) = self.queued_tip()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        for key in keys {
            let body = serde_json::to_string(key).map_err(|_| damaged())?;
            tx.prepare_cached("INSERT INTO case_keys (case_id, wrapped) VALUES (?1, ?2) ON CONFLICT (case_id) DO UPDATE SET wrapped = excluded.wrapped")?
                .execute(params![key.case_id.to_string(), body])?;
        }
        let mut last = None;
        for e in events {
            if e.header.seq != tip + 1 {
                return Err(damaged());
            }
            let body = serde_json::to_string(e).map_err(|_| damaged())?;
            tx.prepare_cached("INSERT INTO outgoing (seq, body) VALUES (?1, ?2)")?
                .execute(params![
                    i64::try_from(e.header.seq).unwrap_or(i64::MAX),
                    body
                ])?;
            tip = e.header.seq;
            last = Some(e.hash);
        }
        if let Some(hash) = last {
            set_in(&tx, "queued_seq", &tip.to_string())?;
            set_in(&tx, "queued_hash", &hash.hex())?;
        }
        tx.commit()?;
        Ok(())
    }

    fn unsent(&self, after: u64) -> Result<(Vec<SealedEvent>, Vec<WrappedCaseKey>)> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM outgoing WHERE seq > ?1 ORDER BY seq LIMIT ?2")?;
        let rows = stmt.query_map(
            params![
                i64::try_from(after).unwrap_or(i64::MAX),
                i64::try_from(MAX_BATCH).unwrap_or(i64::MAX)
            ],
            |r| r.get::<_, String>(0),
        )?;
        let events: Vec<SealedEvent> = rows
            .map(|r| serde_json::from_str(&r?).map_err(|_| damaged()))
            .collect::<Result<_>>()?;
        let cases: BTreeSet<String> = events
            .iter()
            .map(|e| e.header.case_id.to_string())
            .collect();
        let mut keys = Vec::new();
        for case in cases {
            let body: Option<String> = self
                .conn
                .prepare_cached("SELECT wrapped FROM case_keys WHERE case_id = ?1")?
                .query_row(params![case], |r| r.get(0))
                .optional()?;
            if let Some(body) = body {
                keys.push(serde_json::from_str(&body).map_err(|_| damaged())?);
            }
        }
        Ok((events, keys))
    }

    /// One round over the network: hello (the rollback check), upload what the server lacks,
    /// download what is new into the spool. Every outcome is written down for the status line.
    pub fn round(&mut self) -> Result<RoundReport> {
        let result = self.transport().and_then(|t| self.exchange(&t));
        self.note_outcome(result.as_ref().err())?;
        result
    }

    fn exchange(&mut self, transport: &Transport) -> Result<RoundReport> {
        let mut report = RoundReport::default();
        let mut confirmed = self.hello(transport)?;
        loop {
            let (events, case_keys) = self.unsent(confirmed)?;
            if events.is_empty() {
                break;
            }
            let receipt = transport.upload(&Upload { events, case_keys })?;
            report.sent += receipt.appended;
            if receipt.tip.seq <= confirmed {
                break;
            }
            confirmed = receipt.tip.seq;
            self.confirm(confirmed)?;
        }
        // After the events: a new colleague's package needs her `user_added` on the server.
        self.send_pins(transport)?;
        loop {
            let cursor = self.get_u64("cursor")?;
            let page = transport.pull(cursor, PAGE)?;
            if page.cursor < cursor {
                return Err(StoreError::Server(meldcode_sync::SyncError::new(
                    ErrorCode::Malformed,
                    "the server's cursor went back",
                )));
            }
            report.received += page.events.len() as u64;
            self.keep_page(&page)?;
            if !page.more {
                break;
            }
        }
        if report.sent > 0 {
            // The heads the status shows include what was just sent.
            self.hello(transport)?;
        }
        Ok(report)
    }

    /// Says where this device's chain stands; returns how far the server holds it.
    fn hello(&self, transport: &Transport) -> Result<u64> {
        let (seq, hash) = self.queued_tip()?;
        let welcome = transport.hello(&Hello {
            tip: ChainTip { seq, hash },
        })?;
        self.set(
            "heads",
            &serde_json::to_string(&welcome.heads).map_err(|_| damaged())?,
        )?;
        self.set(
            "users",
            &serde_json::to_string(&welcome.users).map_err(|_| damaged())?,
        )?;
        self.keep_pins(&welcome.pins)?;
        self.set(
            "pin_versions",
            &serde_json::to_string(&welcome.pin_versions).map_err(|_| damaged())?,
        )?;
        self.confirm(welcome.tip.seq)?;
        Ok(welcome.tip.seq)
    }

    /// The server holds this device's chain up to `seq`: what it holds need not be kept here.
    fn confirm(&self, seq: u64) -> Result<()> {
        self.set("confirmed", &seq.to_string())?;
        self.conn
            .prepare_cached("DELETE FROM outgoing WHERE seq <= ?1")?
            .execute(params![i64::try_from(seq).unwrap_or(i64::MAX)])?;
        Ok(())
    }

    fn keep_page(&mut self, page: &PullPage) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        if !page.events.is_empty() || !page.case_keys.is_empty() {
            let body = serde_json::to_string(page).map_err(|_| damaged())?;
            tx.prepare_cached("INSERT INTO incoming (body) VALUES (?1)")?
                .execute(params![body])?;
        }
        set_in(&tx, "cursor", &page.cursor.to_string())?;
        tx.commit()?;
        Ok(())
    }

    fn note_outcome(&self, error: Option<&StoreError>) -> Result<()> {
        let now = Utc::now().to_rfc3339();
        match error {
            None => {
                self.set("last_contact", &now)?;
                self.clear("offline_since")?;
                self.clear("problem")?;
                self.clear("rolled_back")?;
            }
            Some(StoreError::ServerUnreachable { .. }) => {
                if self.get("offline_since")?.is_none() {
                    self.set("offline_since", &now)?;
                }
            }
            Some(e) => {
                if let StoreError::Server(s) = e {
                    match s.code {
                        ErrorCode::RolledBack => self.set("rolled_back", "1")?,
                        ErrorCode::Revoked => self.set("revoked", "1")?,
                        _ => {}
                    }
                }
                let body = ErrorBody::from(e);
                self.set(
                    "problem",
                    &serde_json::to_string(&body).map_err(|_| damaged())?,
                )?;
            }
        }
        Ok(())
    }

    /// Received pages not yet taken into the dossier, oldest first: (id, page).
    pub(crate) fn pages(&self) -> Result<Vec<(i64, PullPage)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, body FROM incoming ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|r| {
            let (id, body) = r?;
            Ok((id, serde_json::from_str(&body).map_err(|_| damaged())?))
        })
        .collect()
    }

    /// The page is in the dossier: it goes from here.
    pub(crate) fn taken(&self, id: i64) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM incoming WHERE id = ?1")?
            .execute(params![id])?;
        Ok(())
    }

    pub fn cursor(&self) -> Result<u64> {
        self.get_u64("cursor")
    }

    /// Waits for the server to say something arrived after this device's cursor (the server's
    /// cursor then), or `wait` to pass (`None`).
    pub fn wait_for_news(&self, wait: Duration) -> Result<Option<u64>> {
        self.transport()?.wait_for_news(self.cursor()?, wait)
    }

    /// The server revoked this device: it must wipe itself.
    pub fn revoked(&self) -> Result<bool> {
        Ok(self.get("revoked")?.is_some())
    }

    /// The users the server says may work on this device.
    pub fn assigned_users(&self) -> Result<Vec<meldcode_engine::UserId>> {
        Ok(self
            .get("users")?
            .and_then(|u| serde_json::from_str(&u).ok())
            .unwrap_or_default())
    }

    /// Keeps the school's contact limit where the locked device can read it.
    pub(crate) fn keep_contact_limit(&self, days: u32) -> Result<()> {
        self.set("contact_limit_days", &days.to_string())
    }

    fn contact_limit(&self) -> Result<u32> {
        Ok(self
            .get("contact_limit_days")?
            .and_then(|d| d.parse().ok())
            .unwrap_or(DEFAULT_CONTACT_LIMIT_DAYS))
    }

    /// The last contact (or release with the recovery key), when it is longer ago than the
    /// school allows; or when the clock now reads more than a day before it: a clock set back
    /// must not hide the days away.
    pub fn contact_overdue(&self) -> Result<Option<(DateTime<Utc>, u32)>> {
        let limit = self.contact_limit()?;
        let last = match (
            self.get_time("last_contact")?,
            self.get_time("released_at")?,
        ) {
            (Some(contact), Some(released)) => contact.max(released),
            (Some(at), None) | (None, Some(at)) => at,
            (None, None) => return Ok(None),
        };
        let now = Utc::now();
        let overdue = now - last > Days::days(i64::from(limit)) || last - now > Days::days(1);
        Ok(overdue.then_some((last, limit)))
    }

    /// The recovery key released this device (Store::release_with_recovery_key).
    pub(crate) fn release(&self) -> Result<()> {
        self.set("released_at", &Utc::now().to_rfc3339())
    }

    /// For tests: as if the last contact was `days` ago.
    #[doc(hidden)]
    pub fn backdate_contact(&self, days: i64) -> Result<()> {
        let at = Utc::now() - Days::days(days);
        self.set("last_contact", &at.to_rfc3339())
    }

    /// The status line's facts. `unqueued` counts own records not yet moved here (known only
    /// while unlocked).
    pub fn status(&self, unqueued: u64) -> Result<SyncStatus> {
        let confirmed = self.get_u64("confirmed")?;
        let (queued, _) = self.queued_tip()?;
        let waiting = queued.saturating_sub(confirmed) + unqueued;
        let last_contact = self.get_time("last_contact")?;
        let offline_since = self.get_time("offline_since")?;
        let rolled_back = self.get("rolled_back")?.is_some();
        let problem: Option<ErrorBody> = self
            .get("problem")?
            .and_then(|p| serde_json::from_str(&p).ok());
        let heads: Vec<Head> = self
            .get("heads")?
            .and_then(|h| serde_json::from_str(&h).ok())
            .unwrap_or_default();
        let line = if rolled_back {
            SyncLine::RolledBack
        } else if let Some(since) = offline_since {
            SyncLine::Offline { since, waiting }
        } else if waiting > 0 {
            SyncLine::Waiting { count: waiting }
        } else {
            SyncLine::Current {
                at: last_contact.unwrap_or_else(Utc::now),
            }
        };
        let contact_overdue = self.contact_overdue()?.is_some();
        Ok(SyncStatus {
            enrolled: true,
            server: self.get("server")?,
            last_contact,
            offline_since,
            waiting,
            rolled_back,
            revoked: self.revoked()?,
            line,
            problem,
            contact_overdue,
            cursor: self.cursor()?,
            heads: heads
                .into_iter()
                .map(|h| ServerHead {
                    device_id: h.device_id,
                    seq: h.tip.seq,
                })
                .collect(),
        })
    }

    /// For the migration of a device enrolled before the spool existed.
    pub(crate) fn adopt(&self, cursor: u64, confirmed: u64) -> Result<()> {
        self.set("cursor", &cursor.to_string())?;
        self.set("confirmed", &confirmed.to_string())
    }

    /// For tests: the device this spool belongs to is not recorded here; the dossier knows it.
    #[doc(hidden)]
    pub fn outgoing_count(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .query_row("SELECT count(*) FROM outgoing", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn set_in(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO state (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![key, value])?;
    Ok(())
}
