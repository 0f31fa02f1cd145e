//! PostgreSQL, for a school board with many schools and devices: the same tables and the same
//! operations as SQLite's. Each server process keeps one connection that writes and one that
//! reads (as with SQLite, a pull does not wait behind an upload); every write transaction
//! first takes one advisory lock, so the writers of all server processes on the database
//! commit one after the other and cursors commit in order.
//!
//! The `postgres` client is synchronous: it runs a small runtime of its own and blocks, so
//! `write` and `read` are called from blocking threads (`tokio::task::spawn_blocking`), never
//! from async code. `connect` and `Drop` take care of themselves: they do their work on a
//! thread of their own, so the server may open and drop its storage anywhere.

use super::{
    audience_text, hash_of, parse_audience, parse_id, parse_role, parse_users, pin_version,
    role_text, to_i64, to_u64, users_text, CaseRow, CodeRecord, Counts, DeviceRecord, Result,
    StorageError, StoredEvent, Tx,
};
use meldcode_engine::people::Role;
use meldcode_engine::{CaseId, DeviceId, UserId};
use meldcode_sync::api::{Head, PinVersion, SealedPin};
use meldcode_sync::ingest::ChainTip;
use meldcode_sync::receive::Directory;
use meldcode_sync::Hash;
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Config, IsolationLevel, NoTls, Row, Statement, Transaction};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

mod embedded {
    refinery::embed_migrations!("migrations/postgres");
}

/// The key of the advisory lock that serialises writers (and migrations) across every server
/// process on the database: the ASCII of "meldcode".
const WRITE_LOCK: i64 = 0x6d65_6c64_636f_6465;

/// How long a writer waits for the others before giving up, as SQLite's busy timeout.
const LOCK_TIMEOUT: &str = "30s";

pub struct PgStorage {
    config: Box<Config>,
    writer: Slot,
    reader: Slot,
}

/// A connection, once open (boxed: `Storage` stays small).
type Slot = Mutex<Option<Box<Conn>>>;

/// One connection and the statements prepared on it.
struct Conn {
    statements: HashMap<&'static str, Statement>,
    client: Client,
}

impl Conn {
    fn open(config: &Config) -> Result<Box<Self>> {
        Ok(Box::new(Self {
            statements: HashMap::new(),
            client: config.connect(NoTls).map_err(pg)?,
        }))
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Write,
    Read,
}

impl PgStorage {
    /// Connects (to 127.0.0.1 or a Unix socket: without TLS) and brings the schema up to date.
    pub fn connect(url: &str) -> Result<Self> {
        let mut config: Config = url
            .parse()
            .map_err(|e| StorageError(format!("postgres: the database URL does not parse: {e}")))?;
        if config.get_application_name().is_none() {
            config.application_name("meldcode-server");
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(30));
        }
        // The client's own runtime cannot start inside the server's: connect on a thread.
        let (writer, reader) = std::thread::scope(|s| {
            s.spawn(|| -> Result<(Box<Conn>, Box<Conn>)> {
                let mut writer = Conn::open(&config)?;
                migrate(&mut writer.client)?;
                let reader = Conn::open(&config)?;
                Ok((writer, reader))
            })
            .join()
            .map_err(|_| StorageError("postgres: connecting panicked".into()))?
        })?;
        Ok(Self {
            config: Box::new(config),
            writer: Mutex::new(Some(writer)),
            reader: Mutex::new(Some(reader)),
        })
    }

    pub fn write<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        self.run(&self.writer, Mode::Write, f)
    }

    pub fn read<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        self.run(&self.reader, Mode::Read, f)
    }

    fn run<R>(
        &self,
        slot: &Slot,
        mode: Mode,
        f: impl FnOnce(&mut dyn Tx) -> Result<R>,
    ) -> Result<R> {
        let mut slot = lock(slot);
        let mut f = Some(f);
        let mut reconnect = false;
        loop {
            if reconnect || slot.as_ref().is_none_or(|c| c.client.is_closed()) {
                *slot = None;
                *slot = Some(Conn::open(&self.config)?);
            }
            let Some(Conn { client, statements }) = slot.as_deref_mut() else {
                return Err(StorageError("postgres: no connection".into()));
            };
            match begin(client, mode) {
                Ok(mut tx) => {
                    let Some(f) = f.take() else {
                        return Err(StorageError("postgres: the transaction ran twice".into()));
                    };
                    let out = f(&mut PgTx {
                        tx: &mut tx,
                        statements,
                    })?;
                    tx.commit().map_err(pg)?;
                    return Ok(out);
                }
                // The database restarted under a connection that was idle: connect again,
                // once, before anything of the transaction ran.
                Err(e) if !reconnect && is_gone(&e) => reconnect = true,
                Err(e) => return Err(pg(e)),
            }
        }
    }
}

impl PgStorage {
    /// `VACUUM FULL` writes the tables anew and removes the files that held the old row
    /// versions; plain `VACUUM` would only mark their space free. It cannot run in a
    /// transaction, and holds each table for as long as it takes (a destruction is rare).
    pub fn erase_freed(&self) -> Result<()> {
        let mut slot = lock(&self.writer);
        if slot.as_ref().is_none_or(|c| c.client.is_closed()) {
            *slot = Some(Conn::open(&self.config)?);
        }
        let Some(conn) = slot.as_deref_mut() else {
            return Err(StorageError("postgres: no connection".into()));
        };
        conn.client
            .batch_execute("VACUUM (FULL) events, cases, forks")
            .map_err(pg)
    }
}

impl Drop for PgStorage {
    fn drop(&mut self) {
        let conns: Vec<Box<Conn>> = [&mut self.writer, &mut self.reader]
            .into_iter()
            .filter_map(|m| m.get_mut().unwrap_or_else(PoisonError::into_inner).take())
            .collect();
        // Closing a connection blocks on the client's own runtime, which panics inside the
        // server's: close them on a thread.
        let _ = std::thread::spawn(move || drop(conns)).join();
    }
}

/// `postgres::Error` says only "db error" for what the server answered: keep the server's
/// code and message, not its detail (which quotes the values of a row).
/// The database's code and message, not its detail (which can quote row values).
pub(super) fn pg(e: postgres::Error) -> StorageError {
    match (e.as_db_error(), std::error::Error::source(&e)) {
        (Some(db), _) => StorageError(format!(
            "postgres: {} {}: {}",
            db.severity(),
            db.code().code(),
            db.message()
        )),
        (None, Some(source)) => StorageError(format!("postgres: {e}: {source}")),
        (None, None) => StorageError(format!("postgres: {e}")),
    }
}

/// The connection is gone: closed, or the server shut down or crashed under it.
fn is_gone(e: &postgres::Error) -> bool {
    e.is_closed()
        || e.code()
            .is_some_and(|c| *c == SqlState::ADMIN_SHUTDOWN || *c == SqlState::CRASH_SHUTDOWN)
}

/// A closure that panicked rolled its transaction back as it unwound: the connection is sound.
fn lock(m: &Slot) -> MutexGuard<'_, Option<Box<Conn>>> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn begin(client: &mut Client, mode: Mode) -> std::result::Result<Transaction<'_>, postgres::Error> {
    match mode {
        Mode::Write => {
            // READ COMMITTED (whatever the database's default): once the lock is ours, every
            // statement sees what the writer before us committed.
            let mut tx = client
                .build_transaction()
                .isolation_level(IsolationLevel::ReadCommitted)
                .start()?;
            tx.batch_execute(&format!(
                "SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'; SELECT pg_advisory_xact_lock({WRITE_LOCK})"
            ))?;
            Ok(tx)
        }
        Mode::Read => client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start(),
    }
}

/// Runs the migrations under the writers' lock: two servers starting at once would otherwise
/// both create refinery's history table, and no writer works on a half-migrated schema.
fn migrate(client: &mut Client) -> Result<()> {
    client
        .batch_execute(&format!("SELECT pg_advisory_lock({WRITE_LOCK})"))
        .map_err(pg)?;
    let outcome = embedded::migrations::runner()
        .run(client)
        .map(drop)
        .map_err(|e| StorageError(format!("postgres migrations: {e}")));
    client
        .batch_execute(&format!("SELECT pg_advisory_unlock({WRITE_LOCK})"))
        .map_err(pg)?;
    outcome
}

struct PgTx<'a, 'c> {
    tx: &'a mut Transaction<'c>,
    statements: &'a mut HashMap<&'static str, Statement>,
}

type Params<'p> = &'p [&'p (dyn ToSql + Sync)];

impl PgTx<'_, '_> {
    /// `sql` prepared once per connection.
    fn statement(&mut self, sql: &'static str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.tx.prepare(sql).map_err(pg)?;
        self.statements.insert(sql, s.clone());
        Ok(s)
    }

    fn query(&mut self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>> {
        let s = self.statement(sql)?;
        self.tx.query(&s, params).map_err(pg)
    }

    fn query_opt(&mut self, sql: &'static str, params: Params<'_>) -> Result<Option<Row>> {
        let s = self.statement(sql)?;
        self.tx.query_opt(&s, params).map_err(pg)
    }

    fn query_one(&mut self, sql: &'static str, params: Params<'_>) -> Result<Row> {
        let s = self.statement(sql)?;
        self.tx.query_one(&s, params).map_err(pg)
    }

    fn execute(&mut self, sql: &'static str, params: Params<'_>) -> Result<u64> {
        let s = self.statement(sql)?;
        self.tx.execute(&s, params).map_err(pg)
    }
}

macro_rules! device_columns {
    () => {
        "device_id, certificate, public_key, coordinator, enrolled_at, last_seen, revoked_at"
    };
}

fn device_of(r: &Row) -> Result<DeviceRecord> {
    Ok(DeviceRecord {
        device_id: parse_id(r.try_get::<_, &str>(0)?)?,
        certificate: hash_of(r.try_get::<_, &[u8]>(1)?)?,
        public_key: r.try_get(2)?,
        coordinator: r.try_get::<_, i64>(3)? != 0,
        enrolled_at: to_u64(r.try_get(4)?),
        last_seen: r.try_get::<_, Option<i64>>(5)?.map(to_u64),
        revoked_at: r.try_get::<_, Option<i64>>(6)?.map(to_u64),
    })
}

fn stored_of(r: &Row) -> Result<StoredEvent> {
    Ok(StoredEvent {
        cursor: to_u64(r.try_get(0)?),
        case_id: parse_id(r.try_get::<_, &str>(1)?)?,
        sealed: r.try_get(2)?,
    })
}

impl Tx for PgTx<'_, '_> {
    fn tip(&mut self, device: DeviceId) -> Result<ChainTip> {
        let row = self.query_opt(
            "SELECT seq, hash FROM chains WHERE device_id = $1",
            &[&device.to_string()],
        )?;
        match row {
            None => Ok(ChainTip::EMPTY),
            Some(r) => Ok(ChainTip {
                seq: to_u64(r.try_get(0)?),
                hash: hash_of(r.try_get::<_, &[u8]>(1)?)?,
            }),
        }
    }

    fn stored_hash(&mut self, device: DeviceId, seq: u64) -> Result<Option<Hash>> {
        let row = self.query_opt(
            "SELECT hash FROM events WHERE device_id = $1 AND seq = $2",
            &[&device.to_string(), &to_i64(seq)],
        )?;
        row.map(|r| hash_of(r.try_get::<_, &[u8]>(0)?)).transpose()
    }

    fn insert_event(
        &mut self,
        device: DeviceId,
        seq: u64,
        case: CaseId,
        hash: &Hash,
        sealed: &str,
    ) -> Result<u64> {
        let row = self.query_one(
            "INSERT INTO events (device_id, seq, case_id, hash, sealed) VALUES ($1, $2, $3, $4, $5)
             RETURNING cursor",
            &[
                &device.to_string(),
                &to_i64(seq),
                &case.to_string(),
                &hash.0.as_slice(),
                &sealed,
            ],
        )?;
        Ok(to_u64(row.try_get(0)?))
    }

    fn set_tip(&mut self, device: DeviceId, tip: &ChainTip) -> Result<()> {
        self.execute(
            "INSERT INTO chains (device_id, seq, hash) VALUES ($1, $2, $3)
             ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            &[
                &device.to_string(),
                &to_i64(tip.seq),
                &tip.hash.0.as_slice(),
            ],
        )?;
        Ok(())
    }

    fn heads(&mut self) -> Result<Vec<Head>> {
        // COLLATE "C": in byte order, as SQLite, whatever the database's collation.
        let rows = self.query(
            "SELECT device_id, seq, hash FROM chains ORDER BY device_id COLLATE \"C\"",
            &[],
        )?;
        rows.iter()
            .map(|r| {
                Ok(Head {
                    device_id: parse_id(r.try_get::<_, &str>(0)?)?,
                    tip: ChainTip {
                        seq: to_u64(r.try_get(1)?),
                        hash: hash_of(r.try_get::<_, &[u8]>(2)?)?,
                    },
                })
            })
            .collect()
    }

    fn keep_fork(&mut self, device: DeviceId, seq: u64, now: u64, sealed: &str) -> Result<()> {
        self.execute(
            "INSERT INTO forks (device_id, seq, received_at, sealed) VALUES ($1, $2, $3, $4)",
            &[&device.to_string(), &to_i64(seq), &to_i64(now), &sealed],
        )?;
        Ok(())
    }

    fn case(&mut self, case: CaseId) -> Result<Option<CaseRow>> {
        let row = self.query_opt(
            "SELECT audience, wrapped_key, widened_at FROM cases WHERE case_id = $1",
            &[&case.to_string()],
        )?;
        row.map(|r| {
            Ok(CaseRow {
                audience: parse_audience(r.try_get::<_, &str>(0)?)?,
                wrapped_key: r.try_get(1)?,
                widened_at: to_u64(r.try_get(2)?),
            })
        })
        .transpose()
    }

    fn put_case(&mut self, case: CaseId, row: &CaseRow) -> Result<()> {
        self.execute(
            "INSERT INTO cases (case_id, audience, wrapped_key, widened_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (case_id) DO UPDATE SET audience = excluded.audience,
               wrapped_key = excluded.wrapped_key, widened_at = excluded.widened_at",
            &[
                &case.to_string(),
                &audience_text(&row.audience),
                &row.wrapped_key,
                &to_i64(row.widened_at),
            ],
        )?;
        Ok(())
    }

    fn directory(&mut self) -> Result<Directory> {
        let mut dir = Directory::default();
        for r in self.query("SELECT user_id, role FROM users", &[])? {
            dir.roles.insert(
                parse_id(r.try_get::<_, &str>(0)?)?,
                parse_role(r.try_get::<_, &str>(1)?)?,
            );
        }
        for r in self.query("SELECT device_id, user_id FROM assignments", &[])? {
            dir.assigned
                .entry(parse_id(r.try_get::<_, &str>(0)?)?)
                .or_default()
                .insert(parse_id(r.try_get::<_, &str>(1)?)?);
        }
        Ok(dir)
    }

    fn set_role(&mut self, user: UserId, role: Role) -> Result<()> {
        self.execute(
            "INSERT INTO users (user_id, role) VALUES ($1, $2)
             ON CONFLICT (user_id) DO UPDATE SET role = excluded.role",
            &[&user.to_string(), &role_text(role)],
        )?;
        Ok(())
    }

    fn remove_user(&mut self, user: UserId) -> Result<()> {
        let user = user.to_string();
        self.execute("DELETE FROM users WHERE user_id = $1", &[&user])?;
        self.execute("DELETE FROM assignments WHERE user_id = $1", &[&user])?;
        self.execute("DELETE FROM pins WHERE user_id = $1", &[&user])?;
        Ok(())
    }

    fn assign(&mut self, device: DeviceId, user: UserId) -> Result<()> {
        self.execute(
            "INSERT INTO assignments (device_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&device.to_string(), &user.to_string()],
        )?;
        Ok(())
    }

    fn unassign(&mut self, device: DeviceId, user: UserId) -> Result<()> {
        self.execute(
            "DELETE FROM assignments WHERE device_id = $1 AND user_id = $2",
            &[&device.to_string(), &user.to_string()],
        )?;
        Ok(())
    }

    fn put_pin(&mut self, pin: &SealedPin) -> Result<bool> {
        let n = self.execute(
            "INSERT INTO pins (user_id, version, sealed) VALUES ($1, $2, $3)
             ON CONFLICT (user_id) DO UPDATE SET version = excluded.version,
               sealed = excluded.sealed
             WHERE pins.version < excluded.version",
            &[
                &pin.user_id.to_string(),
                &i64::from(pin.version),
                &pin.sealed,
            ],
        )?;
        Ok(n > 0)
    }

    fn pin_versions(&mut self) -> Result<Vec<PinVersion>> {
        self.query("SELECT user_id, version FROM pins ORDER BY user_id", &[])?
            .iter()
            .map(|r| {
                Ok(PinVersion {
                    user_id: parse_id(&r.try_get::<_, String>(0)?)?,
                    version: pin_version(r.try_get(1)?)?,
                })
            })
            .collect()
    }

    fn pins_of(&mut self, users: &[UserId]) -> Result<Vec<SealedPin>> {
        let mut pins = Vec::new();
        for user in users {
            let row = self.query_opt(
                "SELECT version, sealed FROM pins WHERE user_id = $1",
                &[&user.to_string()],
            )?;
            if let Some(r) = row {
                pins.push(SealedPin {
                    user_id: *user,
                    version: pin_version(r.try_get(0)?)?,
                    sealed: r.try_get(1)?,
                });
            }
        }
        Ok(pins)
    }

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRecord>> {
        let row = self.query_opt(
            concat!(
                "SELECT ",
                device_columns!(),
                " FROM devices WHERE device_id = $1"
            ),
            &[&device.to_string()],
        )?;
        row.as_ref().map(device_of).transpose()
    }

    fn device_by_certificate(&mut self, certificate: &Hash) -> Result<Option<DeviceRecord>> {
        let row = self.query_opt(
            concat!(
                "SELECT ",
                device_columns!(),
                " FROM devices WHERE certificate = $1"
            ),
            &[&certificate.0.as_slice()],
        )?;
        row.as_ref().map(device_of).transpose()
    }

    fn devices(&mut self) -> Result<Vec<DeviceRecord>> {
        let rows = self.query(
            concat!(
                "SELECT ",
                device_columns!(),
                " FROM devices ORDER BY enrolled_at, device_id COLLATE \"C\""
            ),
            &[],
        )?;
        rows.iter().map(device_of).collect()
    }

    fn insert_device(&mut self, d: &DeviceRecord) -> Result<()> {
        self.execute(
            concat!(
                "INSERT INTO devices (",
                device_columns!(),
                ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
            ),
            &[
                &d.device_id.to_string(),
                &d.certificate.0.as_slice(),
                &d.public_key,
                &i64::from(d.coordinator),
                &to_i64(d.enrolled_at),
                &d.last_seen.map(to_i64),
                &d.revoked_at.map(to_i64),
            ],
        )?;
        Ok(())
    }

    fn revoke(&mut self, device: DeviceId, now: u64) -> Result<bool> {
        let n = self.execute(
            "UPDATE devices SET revoked_at = $2 WHERE device_id = $1 AND revoked_at IS NULL",
            &[&device.to_string(), &to_i64(now)],
        )?;
        Ok(n > 0)
    }

    fn touch(&mut self, device: DeviceId, now: u64) -> Result<()> {
        self.execute(
            "UPDATE devices SET last_seen = $2 WHERE device_id = $1",
            &[&device.to_string(), &to_i64(now)],
        )?;
        Ok(())
    }

    fn insert_code(&mut self, c: &CodeRecord) -> Result<()> {
        self.execute(
            "INSERT INTO codes (lookup, verifier, deposit, users, coordinator, expires_at, used_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
            &[
                &c.lookup,
                &c.verifier.0.as_slice(),
                &c.deposit,
                &users_text(&c.users),
                &i64::from(c.coordinator),
                &to_i64(c.expires_at),
                &c.used_at.map(to_i64),
            ],
        )?;
        Ok(())
    }

    fn code(&mut self, lookup: &str) -> Result<Option<CodeRecord>> {
        let row = self.query_opt(
            "SELECT lookup, verifier, deposit, users, coordinator, expires_at, used_at FROM codes WHERE lookup = $1",
            &[&lookup],
        )?;
        row.map(|r| {
            Ok(CodeRecord {
                lookup: r.try_get(0)?,
                verifier: hash_of(r.try_get::<_, &[u8]>(1)?)?,
                deposit: r.try_get(2)?,
                users: parse_users(r.try_get::<_, &str>(3)?)?,
                coordinator: r.try_get::<_, i64>(4)? != 0,
                expires_at: to_u64(r.try_get(5)?),
                used_at: r.try_get::<_, Option<i64>>(6)?.map(to_u64),
            })
        })
        .transpose()
    }

    fn use_code(&mut self, lookup: &str, now: u64) -> Result<()> {
        // The deposit goes with its use: the school key sealed under the code leaves the server.
        self.execute(
            "UPDATE codes SET used_at = $2, deposit = NULL WHERE lookup = $1",
            &[&lookup, &to_i64(now)],
        )?;
        Ok(())
    }

    fn events_after(&mut self, after: u64, limit: u64) -> Result<Vec<StoredEvent>> {
        let rows = self.query(
            "SELECT cursor, case_id, sealed FROM events WHERE cursor > $1 ORDER BY cursor LIMIT $2",
            &[&to_i64(after), &to_i64(limit)],
        )?;
        rows.iter().map(stored_of).collect()
    }

    fn events_of_case(&mut self, case: CaseId, up_to: u64) -> Result<Vec<StoredEvent>> {
        let rows = self.query(
            "SELECT cursor, case_id, sealed FROM events WHERE case_id = $1 AND cursor <= $2 ORDER BY cursor",
            &[&case.to_string(), &to_i64(up_to)],
        )?;
        rows.iter().map(stored_of).collect()
    }

    fn cases_widened_after(&mut self, after: u64) -> Result<Vec<CaseId>> {
        let rows = self.query(
            "SELECT case_id FROM cases WHERE widened_at > $1 ORDER BY widened_at, case_id",
            &[&to_i64(after)],
        )?;
        rows.iter()
            .map(|r| parse_id(r.try_get::<_, &str>(0)?))
            .collect()
    }

    fn widen_all(&mut self, cursor: u64) -> Result<()> {
        self.execute("UPDATE cases SET widened_at = $1", &[&to_i64(cursor)])?;
        Ok(())
    }

    fn latest_cursor(&mut self) -> Result<u64> {
        let row = self.query_one("SELECT max(cursor) FROM events", &[])?;
        Ok(row.try_get::<_, Option<i64>>(0)?.map_or(0, to_u64))
    }

    fn replace_sealed(&mut self, cursor: u64, sealed: &str) -> Result<()> {
        self.execute(
            "UPDATE events SET sealed = $2 WHERE cursor = $1",
            &[&to_i64(cursor), &sealed],
        )?;
        Ok(())
    }

    fn forks(&mut self) -> Result<Vec<(u64, String)>> {
        self.query("SELECT id, sealed FROM forks ORDER BY id", &[])?
            .iter()
            .map(|r| Ok((to_u64(r.try_get(0)?), r.try_get(1)?)))
            .collect()
    }

    fn replace_fork(&mut self, id: u64, sealed: &str) -> Result<()> {
        self.execute(
            "UPDATE forks SET sealed = $2 WHERE id = $1",
            &[&to_i64(id), &sealed],
        )?;
        Ok(())
    }

    fn is_destroyed(&mut self, case: CaseId) -> Result<bool> {
        Ok(self
            .query_opt(
                "SELECT 1 FROM destroyed_cases WHERE case_id = $1",
                &[&case.to_string()],
            )?
            .is_some())
    }

    fn mark_destroyed(&mut self, case: CaseId, at: u64) -> Result<()> {
        self.execute(
            "INSERT INTO destroyed_cases (case_id, destroyed_at) VALUES ($1, $2)
             ON CONFLICT (case_id) DO NOTHING",
            &[&case.to_string(), &to_i64(at)],
        )?;
        self.execute(
            "UPDATE cases SET wrapped_key = NULL WHERE case_id = $1",
            &[&case.to_string()],
        )?;
        Ok(())
    }

    fn counts(&mut self) -> Result<Counts> {
        let r = self.query_one(
            "SELECT (SELECT count(*) FROM devices),
                    (SELECT count(*) FROM devices WHERE revoked_at IS NOT NULL),
                    (SELECT count(*) FROM events),
                    (SELECT count(*) FROM cases),
                    (SELECT count(*) FROM forks),
                    (SELECT count(*) FROM destroyed_cases)",
            &[],
        )?;
        Ok(Counts {
            devices: to_u64(r.try_get(0)?),
            revoked: to_u64(r.try_get(1)?),
            events: to_u64(r.try_get(2)?),
            cases: to_u64(r.try_get(3)?),
            forks: to_u64(r.try_get(4)?),
            destroyed: to_u64(r.try_get(5)?),
        })
    }
}
