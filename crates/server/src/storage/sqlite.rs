//! The embedded default: one SQLite file in the data folder, in WAL mode with full syncs, so
//! an acknowledged upload survives a killed process and a power cut.

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
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use std::path::Path;
use std::sync::{LazyLock, Mutex};

pub const FILE: &str = "meldcode-server.sqlite";

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/sqlite/001_initial.sql")),
        M::up(include_str!("../../migrations/sqlite/002_pins.sql")),
        M::up(include_str!("../../migrations/sqlite/003_destruction.sql")),
    ])
});

pub struct SqliteStorage {
    writer: Mutex<Connection>,
    reader: Mutex<Connection>,
}

fn connect(path: &Path) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // A destroyed case's payloads and key are overwritten where they were, not left in free
    // space.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(30))?;
    Ok(conn)
}

impl SqliteStorage {
    pub fn open(path: &Path) -> Result<Self> {
        let mut writer = connect(path)?;
        MIGRATIONS
            .to_latest(&mut writer)
            .map_err(|e| StorageError(format!("sqlite migrations: {e}")))?;
        Ok(Self {
            reader: Mutex::new(connect(path)?),
            writer: Mutex::new(writer),
        })
    }

    pub fn write<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        // A panic in an earlier closure rolled its transaction back: the connection is sound.
        let mut conn = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut t = SqliteTx(&tx);
        let out = f(&mut t)?;
        tx.commit()?;
        Ok(out)
    }

    pub fn read<R>(&self, f: impl FnOnce(&mut dyn Tx) -> Result<R>) -> Result<R> {
        let mut conn = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let tx = conn.transaction_with_behavior(TransactionBehavior::Deferred)?;
        let mut t = SqliteTx(&tx);
        f(&mut t)
    }

    pub fn erase_freed(&self) -> Result<()> {
        let conn = self
            .writer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // A pull's snapshot can hold the checkpoint back for a moment: try again, briefly.
        for _ in 0..50 {
            let busy: i64 = conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy == 0 {
                return Ok(());
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        Err(StorageError(
            "sqlite: the WAL could not be emptied after a destruction; it will be at the next checkpoint".into(),
        ))
    }

    /// A consistent copy of the database, also while the server runs.
    pub fn backup_to(&self, to: &Path) -> Result<()> {
        let conn = self
            .reader
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let target = to
            .to_str()
            .ok_or_else(|| StorageError("backup path is not UTF-8".into()))?;
        conn.execute("VACUUM INTO ?1", params![target])?;
        Ok(())
    }
}

struct SqliteTx<'a>(&'a rusqlite::Transaction<'a>);

fn device_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<DeviceTuple> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

type DeviceTuple = (String, Vec<u8>, Vec<u8>, i64, i64, Option<i64>, Option<i64>);

fn device_of(t: DeviceTuple) -> Result<DeviceRecord> {
    let (id, cert, public_key, coordinator, enrolled_at, last_seen, revoked_at) = t;
    Ok(DeviceRecord {
        device_id: parse_id(&id)?,
        certificate: hash_of(&cert)?,
        public_key,
        coordinator: coordinator != 0,
        enrolled_at: to_u64(enrolled_at),
        last_seen: last_seen.map(to_u64),
        revoked_at: revoked_at.map(to_u64),
    })
}

const DEVICE_COLUMNS: &str =
    "device_id, certificate, public_key, coordinator, enrolled_at, last_seen, revoked_at";

impl Tx for SqliteTx<'_> {
    fn tip(&mut self, device: DeviceId) -> Result<ChainTip> {
        let row: Option<(i64, Vec<u8>)> = self
            .0
            .prepare_cached("SELECT seq, hash FROM chains WHERE device_id = ?1")?
            .query_row(params![device.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => Ok(ChainTip::EMPTY),
            Some((seq, hash)) => Ok(ChainTip {
                seq: to_u64(seq),
                hash: hash_of(&hash)?,
            }),
        }
    }

    fn stored_hash(&mut self, device: DeviceId, seq: u64) -> Result<Option<Hash>> {
        let row: Option<Vec<u8>> = self
            .0
            .prepare_cached("SELECT hash FROM events WHERE device_id = ?1 AND seq = ?2")?
            .query_row(params![device.to_string(), to_i64(seq)], |r| r.get(0))
            .optional()?;
        row.map(|h| hash_of(&h)).transpose()
    }

    fn insert_event(
        &mut self,
        device: DeviceId,
        seq: u64,
        case: CaseId,
        hash: &Hash,
        sealed: &str,
    ) -> Result<u64> {
        self.0
            .prepare_cached(
                "INSERT INTO events (device_id, seq, case_id, hash, sealed) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![device.to_string(), to_i64(seq), case.to_string(), hash.0.as_slice(), sealed])?;
        Ok(to_u64(self.0.last_insert_rowid()))
    }

    fn set_tip(&mut self, device: DeviceId, tip: &ChainTip) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO chains (device_id, seq, hash) VALUES (?1, ?2, ?3)
                 ON CONFLICT (device_id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            )?
            .execute(params![
                device.to_string(),
                to_i64(tip.seq),
                tip.hash.0.as_slice()
            ])?;
        Ok(())
    }

    fn heads(&mut self) -> Result<Vec<Head>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT device_id, seq, hash FROM chains ORDER BY device_id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })?;
        rows.map(|row| {
            let (d, seq, hash) = row?;
            Ok(Head {
                device_id: parse_id(&d)?,
                tip: ChainTip {
                    seq: to_u64(seq),
                    hash: hash_of(&hash)?,
                },
            })
        })
        .collect()
    }

    fn keep_fork(&mut self, device: DeviceId, seq: u64, now: u64, sealed: &str) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO forks (device_id, seq, received_at, sealed) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                device.to_string(),
                to_i64(seq),
                to_i64(now),
                sealed
            ])?;
        Ok(())
    }

    fn case(&mut self, case: CaseId) -> Result<Option<CaseRow>> {
        let row: Option<(String, Option<Vec<u8>>, i64)> = self
            .0
            .prepare_cached(
                "SELECT audience, wrapped_key, widened_at FROM cases WHERE case_id = ?1",
            )?
            .query_row(params![case.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        row.map(|(a, k, w)| {
            Ok(CaseRow {
                audience: parse_audience(&a)?,
                wrapped_key: k,
                widened_at: to_u64(w),
            })
        })
        .transpose()
    }

    fn put_case(&mut self, case: CaseId, row: &CaseRow) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO cases (case_id, audience, wrapped_key, widened_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (case_id) DO UPDATE SET audience = excluded.audience,
                   wrapped_key = excluded.wrapped_key, widened_at = excluded.widened_at",
            )?
            .execute(params![case.to_string(), audience_text(&row.audience), row.wrapped_key, to_i64(row.widened_at)])?;
        Ok(())
    }

    fn directory(&mut self) -> Result<Directory> {
        let mut dir = Directory::default();
        let mut stmt = self.0.prepare_cached("SELECT user_id, role FROM users")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (u, role) = row?;
            dir.roles.insert(parse_id(&u)?, parse_role(&role)?);
        }
        let mut stmt = self
            .0
            .prepare_cached("SELECT device_id, user_id FROM assignments")?;
        for row in stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
            let (d, u) = row?;
            dir.assigned
                .entry(parse_id(&d)?)
                .or_default()
                .insert(parse_id(&u)?);
        }
        Ok(dir)
    }

    fn set_role(&mut self, user: UserId, role: Role) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO users (user_id, role) VALUES (?1, ?2)
                 ON CONFLICT (user_id) DO UPDATE SET role = excluded.role",
            )?
            .execute(params![user.to_string(), role_text(role)])?;
        Ok(())
    }

    fn remove_user(&mut self, user: UserId) -> Result<()> {
        self.0
            .prepare_cached("DELETE FROM users WHERE user_id = ?1")?
            .execute(params![user.to_string()])?;
        self.0
            .prepare_cached("DELETE FROM assignments WHERE user_id = ?1")?
            .execute(params![user.to_string()])?;
        self.0
            .prepare_cached("DELETE FROM pins WHERE user_id = ?1")?
            .execute(params![user.to_string()])?;
        Ok(())
    }

    fn assign(&mut self, device: DeviceId, user: UserId) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT OR IGNORE INTO assignments (device_id, user_id) VALUES (?1, ?2)",
            )?
            .execute(params![device.to_string(), user.to_string()])?;
        Ok(())
    }

    fn unassign(&mut self, device: DeviceId, user: UserId) -> Result<()> {
        self.0
            .prepare_cached("DELETE FROM assignments WHERE device_id = ?1 AND user_id = ?2")?
            .execute(params![device.to_string(), user.to_string()])?;
        Ok(())
    }

    fn put_pin(&mut self, pin: &SealedPin) -> Result<bool> {
        let n = self
            .0
            .prepare_cached(
                "INSERT INTO pins (user_id, version, sealed) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET version = excluded.version,
                   sealed = excluded.sealed
                 WHERE pins.version < excluded.version",
            )?
            .execute(params![
                pin.user_id.to_string(),
                i64::from(pin.version),
                pin.sealed
            ])?;
        Ok(n > 0)
    }

    fn pin_versions(&mut self) -> Result<Vec<PinVersion>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT user_id, version FROM pins ORDER BY user_id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        rows.map(|r| {
            let (user, version) = r?;
            Ok(PinVersion {
                user_id: parse_id(&user)?,
                version: pin_version(version)?,
            })
        })
        .collect()
    }

    fn pins_of(&mut self, users: &[UserId]) -> Result<Vec<SealedPin>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT version, sealed FROM pins WHERE user_id = ?1")?;
        let mut pins = Vec::new();
        for user in users {
            let row: Option<(i64, Vec<u8>)> = stmt
                .query_row(params![user.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((version, sealed)) = row {
                pins.push(SealedPin {
                    user_id: *user,
                    version: pin_version(version)?,
                    sealed,
                });
            }
        }
        Ok(pins)
    }

    fn device(&mut self, device: DeviceId) -> Result<Option<DeviceRecord>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE device_id = ?1");
        let row = self
            .0
            .prepare_cached(&sql)?
            .query_row(params![device.to_string()], device_row)
            .optional()?;
        row.map(device_of).transpose()
    }

    fn device_by_certificate(&mut self, certificate: &Hash) -> Result<Option<DeviceRecord>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices WHERE certificate = ?1");
        let row = self
            .0
            .prepare_cached(&sql)?
            .query_row(params![certificate.0.as_slice()], device_row)
            .optional()?;
        row.map(device_of).transpose()
    }

    fn devices(&mut self) -> Result<Vec<DeviceRecord>> {
        let sql = format!("SELECT {DEVICE_COLUMNS} FROM devices ORDER BY enrolled_at, device_id");
        let mut stmt = self.0.prepare_cached(&sql)?;
        let rows = stmt.query_map([], device_row)?;
        rows.map(|r| device_of(r?)).collect()
    }

    fn insert_device(&mut self, d: &DeviceRecord) -> Result<()> {
        self.0
            .prepare_cached(&format!(
                "INSERT INTO devices ({DEVICE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ))?
            .execute(params![
                d.device_id.to_string(),
                d.certificate.0.as_slice(),
                d.public_key,
                i64::from(d.coordinator),
                to_i64(d.enrolled_at),
                d.last_seen.map(to_i64),
                d.revoked_at.map(to_i64),
            ])?;
        Ok(())
    }

    fn revoke(&mut self, device: DeviceId, now: u64) -> Result<bool> {
        let n = self
            .0
            .prepare_cached(
                "UPDATE devices SET revoked_at = ?2 WHERE device_id = ?1 AND revoked_at IS NULL",
            )?
            .execute(params![device.to_string(), to_i64(now)])?;
        Ok(n > 0)
    }

    fn touch(&mut self, device: DeviceId, now: u64) -> Result<()> {
        self.0
            .prepare_cached("UPDATE devices SET last_seen = ?2 WHERE device_id = ?1")?
            .execute(params![device.to_string(), to_i64(now)])?;
        Ok(())
    }

    fn insert_code(&mut self, c: &CodeRecord) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO codes (lookup, verifier, deposit, users, coordinator, expires_at, used_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                c.lookup,
                c.verifier.0.as_slice(),
                c.deposit,
                users_text(&c.users),
                i64::from(c.coordinator),
                to_i64(c.expires_at),
                c.used_at.map(to_i64),
            ])?;
        Ok(())
    }

    fn code(&mut self, lookup: &str) -> Result<Option<CodeRecord>> {
        type Row = (
            String,
            Vec<u8>,
            Option<Vec<u8>>,
            String,
            i64,
            i64,
            Option<i64>,
        );
        let row: Option<Row> = self
            .0
            .prepare_cached(
                "SELECT lookup, verifier, deposit, users, coordinator, expires_at, used_at FROM codes WHERE lookup = ?1",
            )?
            .query_row(params![lookup], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
            })
            .optional()?;
        row.map(
            |(lookup, verifier, deposit, users, coordinator, expires_at, used_at)| {
                Ok(CodeRecord {
                    lookup,
                    verifier: hash_of(&verifier)?,
                    deposit,
                    users: parse_users(&users)?,
                    coordinator: coordinator != 0,
                    expires_at: to_u64(expires_at),
                    used_at: used_at.map(to_u64),
                })
            },
        )
        .transpose()
    }

    fn use_code(&mut self, lookup: &str, now: u64) -> Result<()> {
        // The deposit goes with its use: the school key sealed under the code leaves the server.
        self.0
            .prepare_cached("UPDATE codes SET used_at = ?2, deposit = NULL WHERE lookup = ?1")?
            .execute(params![lookup, to_i64(now)])?;
        Ok(())
    }

    fn events_after(&mut self, after: u64, limit: u64) -> Result<Vec<StoredEvent>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT cursor, case_id, sealed FROM events WHERE cursor > ?1 ORDER BY cursor LIMIT ?2",
        )?;
        let rows = stmt.query_map(params![to_i64(after), to_i64(limit)], stored_row)?;
        rows.map(|r| stored_of(r?)).collect()
    }

    fn events_of_case(&mut self, case: CaseId, up_to: u64) -> Result<Vec<StoredEvent>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT cursor, case_id, sealed FROM events WHERE case_id = ?1 AND cursor <= ?2 ORDER BY cursor",
        )?;
        let rows = stmt.query_map(params![case.to_string(), to_i64(up_to)], stored_row)?;
        rows.map(|r| stored_of(r?)).collect()
    }

    fn cases_widened_after(&mut self, after: u64) -> Result<Vec<CaseId>> {
        let mut stmt = self.0.prepare_cached(
            "SELECT case_id FROM cases WHERE widened_at > ?1 ORDER BY widened_at, case_id",
        )?;
        let rows = stmt.query_map(params![to_i64(after)], |r| r.get::<_, String>(0))?;
        rows.map(|r| parse_id(&r?)).collect()
    }

    fn widen_all(&mut self, cursor: u64) -> Result<()> {
        self.0
            .prepare_cached("UPDATE cases SET widened_at = ?1")?
            .execute(params![to_i64(cursor)])?;
        Ok(())
    }

    fn latest_cursor(&mut self) -> Result<u64> {
        let n: Option<i64> = self
            .0
            .prepare_cached("SELECT max(cursor) FROM events")?
            .query_row([], |r| r.get(0))?;
        Ok(n.map_or(0, to_u64))
    }

    fn replace_sealed(&mut self, cursor: u64, sealed: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE events SET sealed = ?2 WHERE cursor = ?1")?
            .execute(params![to_i64(cursor), sealed])?;
        Ok(())
    }

    fn forks(&mut self) -> Result<Vec<(u64, String)>> {
        let mut stmt = self
            .0
            .prepare_cached("SELECT id, sealed FROM forks ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|r| {
            let (id, sealed) = r?;
            Ok((to_u64(id), sealed))
        })
        .collect()
    }

    fn replace_fork(&mut self, id: u64, sealed: &str) -> Result<()> {
        self.0
            .prepare_cached("UPDATE forks SET sealed = ?2 WHERE id = ?1")?
            .execute(params![to_i64(id), sealed])?;
        Ok(())
    }

    fn is_destroyed(&mut self, case: CaseId) -> Result<bool> {
        Ok(self
            .0
            .prepare_cached("SELECT 1 FROM destroyed_cases WHERE case_id = ?1")?
            .query_row(params![case.to_string()], |_| Ok(()))
            .optional()?
            .is_some())
    }

    fn mark_destroyed(&mut self, case: CaseId, at: u64) -> Result<()> {
        self.0
            .prepare_cached(
                "INSERT INTO destroyed_cases (case_id, destroyed_at) VALUES (?1, ?2)
                 ON CONFLICT (case_id) DO NOTHING",
            )?
            .execute(params![case.to_string(), to_i64(at)])?;
        self.0
            .prepare_cached("UPDATE cases SET wrapped_key = NULL WHERE case_id = ?1")?
            .execute(params![case.to_string()])?;
        Ok(())
    }

    fn counts(&mut self) -> Result<Counts> {
        let count = |sql: &str| -> Result<u64> {
            Ok(to_u64(
                self.0
                    .prepare_cached(sql)?
                    .query_row([], |r| r.get::<_, i64>(0))?,
            ))
        };
        Ok(Counts {
            devices: count("SELECT count(*) FROM devices")?,
            revoked: count("SELECT count(*) FROM devices WHERE revoked_at IS NOT NULL")?,
            events: count("SELECT count(*) FROM events")?,
            cases: count("SELECT count(*) FROM cases")?,
            forks: count("SELECT count(*) FROM forks")?,
            destroyed: count("SELECT count(*) FROM destroyed_cases")?,
        })
    }
}

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn stored_of((cursor, case, sealed): (i64, String, String)) -> Result<StoredEvent> {
    Ok(StoredEvent {
        cursor: to_u64(cursor),
        case_id: parse_id(&case)?,
        sealed,
    })
}
