//! The unlocked store: one user's session over the encrypted database. Every write goes
//! command → engine → events → log + projection, in one durable transaction.

use crate::crypto::{self, KdfParams, Key};
use crate::db;
use crate::error::{Result, StoreError};
use crate::keyring;
use crate::log::{self, VerifyReport};
use crate::projection::{self, CaseListItem};
use crate::vault::{
    check_pin_strength, lock_vault, UserEnvelope, Vault, VaultGuard, VAULT_VERSION,
};
use chrono::{DateTime, Utc};
use meldcode_engine::catalogue::SignalCatalogue;
use meldcode_engine::envelope::{Envelope, RandomSource, Recorder};
use meldcode_engine::next_actions::{next_actions, NextAction};
use meldcode_engine::people::{looks_like_full_name, User};
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::rules::r14_roles::permitted_commands;
use meldcode_engine::state::TimelineEntry;
use meldcode_engine::summary::{summarise, CaseSummary};
use meldcode_engine::{
    decide, Actor, CaseId, CaseState, Command, DecideContext, DeviceId, Role, RuleId, UserId,
};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use serde::Serialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub const DB_FILE: &str = "meldcode.db";
pub const VAULT_FILE: &str = "vault.json";

fn db_path(dir: &Path) -> PathBuf {
    dir.join(DB_FILE)
}

fn vault_path(dir: &Path) -> PathBuf {
    dir.join(VAULT_FILE)
}

fn new_uuid() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// What the lock screen lists before anything is unlocked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockScreenUser {
    pub id: UserId,
    pub display_name: String,
    pub role: Role,
    /// After a recovery replaced the device secret, the coordinator sets a new PIN first.
    pub needs_new_pin: bool,
}

pub struct Initialised {
    pub store: Store,
    /// Shown once, for the school's safe; never stored in plaintext.
    pub recovery_key: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Serialize)]
pub struct CaseView {
    pub summary: CaseSummary,
    pub next_actions: Vec<NextAction>,
    pub timeline: Vec<TimelineEntry>,
    pub events: Vec<Envelope>,
    /// The commands this user may give on the case (R2, R14): the app shows only these.
    pub permitted: Vec<String>,
    /// Everyone who recorded in the case, also users removed since, for the timeline's "who".
    pub people: Vec<User>,
    /// The text of each rule behind the next actions.
    pub rules: Vec<RuleText>,
}

/// A protocol rule as the case screen shows it behind a next action.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleText {
    pub id: RuleId,
    pub title: String,
    pub text: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CaseExport {
    pub exported_at: DateTime<Utc>,
    pub exported_by: UserId,
    pub school: String,
    pub summary: CaseSummary,
    pub events: Vec<Envelope>,
}

/// Random bytes drawn before stamping, so that stamping itself cannot fail.
struct PreDrawn(Vec<[u8; 10]>);

impl RandomSource for PreDrawn {
    fn random_10(&mut self) -> [u8; 10] {
        self.0.pop().unwrap_or_default()
    }
}

/// Case states kept between records: replaying a case on every record would make recording
/// cost grow with the case. Bounded, because a session may touch many cases.
const CACHED_CASES: usize = 256;

pub struct Store {
    dir: PathBuf,
    conn: Connection,
    key: Key,
    user: User,
    device_id: DeviceId,
    profile: SchoolProfile,
    catalogue: SignalCatalogue,
    /// Per case: the log position of its newest event and the state folded up to it.
    cases: HashMap<CaseId, (i64, CaseState)>,
    /// This device's chain head after our last append.
    head: Option<log::DeviceHead>,
}

fn seal_for_user(
    user: &User,
    pin: &str,
    device_secret: &Key,
    db_key: &Key,
    kdf: KdfParams,
) -> Result<UserEnvelope> {
    check_pin_strength(pin)?;
    let salt = crypto::random_bytes::<16>()?;
    let kek = crypto::derive_user_key(pin, &salt, device_secret.as_slice(), kdf)?;
    Ok(UserEnvelope {
        user_id: user.id,
        display_name: user.full_name.clone(),
        role: user.role,
        salt: salt.to_vec(),
        kdf,
        sealed_key: Some(crypto::seal(&kek, user.id.0.as_bytes(), db_key.as_slice())?),
        failed_attempts: 0,
        locked_until: None,
    })
}

fn check_full_name(name: &str) -> Result<()> {
    if looks_like_full_name(name) {
        Ok(())
    } else {
        Err(StoreError::Invalid {
            message: "Vul een volledige naam in (voornaam en achternaam), geen initialen.".into(),
        })
    }
}

impl Store {
    /// Sets up a new store: device secret in the keyring, database key, first coordinator,
    /// school profile. Returns the recovery key, to be shown once.
    pub fn init(
        dir: &Path,
        profile: SchoolProfile,
        coordinator_name: &str,
        pin: &str,
        kdf: KdfParams,
    ) -> Result<Initialised> {
        check_full_name(coordinator_name)?;
        check_pin_strength(pin)?;
        create_private_dir(dir)?;
        let _guard = lock_vault(&vault_path(dir))?;
        if vault_path(dir).exists() || db_path(dir).exists() {
            return Err(StoreError::AlreadyInitialised);
        }
        let device_id = DeviceId(new_uuid());
        let user = User {
            id: UserId(new_uuid()),
            full_name: coordinator_name.trim().to_owned(),
            role: Role::Coordinator,
        };
        let device_secret = keyring::create_device_secret(device_id)?;
        let db_key = crypto::random_key()?;
        let recovery_key = crypto::random_key()?;
        let envelope = seal_for_user(&user, pin, &device_secret, &db_key, kdf)?;
        let vault = Vault {
            version: VAULT_VERSION,
            device_id,
            users: vec![envelope],
            recovery: crypto::seal(&recovery_key, b"recovery", db_key.as_slice())?,
        };
        let conn = db::open(&db_path(dir), &db_key, true)?;
        let profile_json = serde_json::to_string(&profile).map_err(|_| StoreError::Invalid {
            message: "Schoolprofiel kon niet worden opgeslagen.".into(),
        })?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('device_id', ?1), ('school_profile', ?2)",
            params![device_id.to_string(), profile_json],
        )?;
        insert_user(&conn, &user)?;
        crate::boundary::save_emergency_numbers(dir, &profile)?;
        vault.save(&vault_path(dir))?;
        Ok(Initialised {
            store: Self::from_parts(dir, conn, db_key, user.id)?,
            recovery_key: crypto::format_recovery_key(&recovery_key),
        })
    }

    pub fn lock_screen_users(dir: &Path) -> Result<Vec<LockScreenUser>> {
        let vault = Vault::load(&vault_path(dir))?;
        Ok(vault
            .users
            .iter()
            .map(|u| LockScreenUser {
                id: u.user_id,
                display_name: u.display_name.clone(),
                role: u.role,
                needs_new_pin: u.sealed_key.is_none(),
            })
            .collect())
    }

    /// Opens the store for `user` with their PIN. Wrong PINs count towards a growing delay that
    /// survives restarts (it is kept in the vault file).
    pub fn unlock(dir: &Path, user: UserId, pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let mut vault = Vault::load(&path)?;
        let now = Utc::now();
        let envelope = vault.user(user)?;
        envelope.check_not_locked(now)?;
        let Some(sealed) = envelope.sealed_key.clone() else {
            return Err(StoreError::NotAllowed {
                message: "Uw pincode moet opnieuw worden ingesteld door de intern begeleider."
                    .into(),
            });
        };
        let device_secret = keyring::load_device_secret(vault.device_id)?;
        let kek =
            crypto::derive_user_key(pin, &envelope.salt, device_secret.as_slice(), envelope.kdf)?;
        let Some(db_key) = crypto::open(&kek, user.0.as_bytes(), &sealed) else {
            let err = vault.user_mut(user)?.register_failure(now);
            vault.save(&path)?;
            return Err(err);
        };
        let envelope = vault.user_mut(user)?;
        if envelope.failed_attempts > 0 {
            envelope.register_success();
            vault.save(&path)?;
        }
        let conn = db::open(&db_path(dir), &db_key, false)?;
        Self::from_parts(dir, conn, db_key, user)
    }

    /// Opens the store with the recovery key from the school's safe and sets a new PIN for the
    /// coordinator doing it. If the keyring entry is gone, a new device secret replaces it and the
    /// other users' PINs must be set again by the coordinator.
    pub fn recover(dir: &Path, recovery_text: &str, user: UserId, new_pin: &str) -> Result<Self> {
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        let mut vault = Vault::load(&path)?;
        let recovery_key = crypto::parse_recovery_key(recovery_text)?;
        let db_key = crypto::open(&recovery_key, b"recovery", &vault.recovery)
            .ok_or(StoreError::WrongRecoveryKey)?;
        let envelope = vault.user(user)?;
        if envelope.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message:
                    "Alleen een intern begeleider kan het dossier herstellen met de herstelsleutel."
                        .into(),
            });
        }
        let kdf = envelope.kdf;
        let identity = User {
            id: user,
            full_name: envelope.display_name.clone(),
            role: envelope.role,
        };
        check_pin_strength(new_pin)?;
        let device_secret = match keyring::load_device_secret(vault.device_id) {
            Ok(secret) => secret,
            Err(StoreError::Keyring {
                missing_entry: true,
                ..
            }) => {
                for other in &mut vault.users {
                    other.sealed_key = None;
                }
                keyring::create_device_secret(vault.device_id)?
            }
            Err(other) => return Err(other),
        };
        let conn = db::open(&db_path(dir), &db_key, false)?;
        *vault.user_mut(user)? = seal_for_user(&identity, new_pin, &device_secret, &db_key, kdf)?;
        vault.save(&path)?;
        Self::from_parts(dir, conn, db_key, user)
    }

    fn from_parts(dir: &Path, conn: Connection, key: Key, user_id: UserId) -> Result<Self> {
        let user = load_user(&conn, user_id)?.ok_or(StoreError::UnknownUser)?;
        let meta = |k: &str| -> Result<String> {
            conn.query_row("SELECT value FROM meta WHERE key = ?1", params![k], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or(StoreError::Damaged {
                detail: "instellingen ontbreken".into(),
            })
        };
        let device_id = meta("device_id")?
            .parse()
            .map_err(|_| StoreError::Damaged {
                detail: "apparaat-id".into(),
            })?;
        let profile =
            serde_json::from_str(&meta("school_profile")?).map_err(|_| StoreError::Damaged {
                detail: "schoolprofiel".into(),
            })?;
        Ok(Self {
            dir: dir.to_owned(),
            conn,
            key,
            user,
            device_id,
            profile,
            catalogue: SignalCatalogue::default_catalogue(),
            cases: HashMap::new(),
            head: None,
        })
    }

    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    pub fn user(&self) -> &User {
        &self.user
    }

    pub fn profile(&self) -> &SchoolProfile {
        &self.profile
    }

    pub fn catalogue(&self) -> &SignalCatalogue {
        &self.catalogue
    }

    pub fn device_id(&self) -> DeviceId {
        self.device_id
    }

    /// Drops the key (zeroised) and closes the database.
    pub fn lock(self) {}

    fn require_coordinator(&self) -> Result<()> {
        if self.user.role == Role::Coordinator {
            Ok(())
        } else {
            Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider beheert gebruikers.".into(),
            })
        }
    }

    /// The vault, locked for changing, and the device secret to wrap keys with.
    fn device_secret_and_vault(&self) -> Result<(Key, Vault, VaultGuard)> {
        let guard = lock_vault(&vault_path(&self.dir))?;
        let vault = Vault::load(&vault_path(&self.dir))?;
        Ok((keyring::load_device_secret(vault.device_id)?, vault, guard))
    }

    pub fn change_pin(&mut self, current_pin: &str, new_pin: &str) -> Result<()> {
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let mine = vault.user(self.user.id)?;
        let kek = crypto::derive_user_key(current_pin, &mine.salt, secret.as_slice(), mine.kdf)?;
        let current_ok = mine
            .sealed_key
            .as_ref()
            .and_then(|s| crypto::open(&kek, self.user.id.0.as_bytes(), s))
            .is_some();
        if !current_ok {
            let err = vault.user_mut(self.user.id)?.register_failure(Utc::now());
            vault.save(&vault_path(&self.dir))?;
            return Err(err);
        }
        let kdf = mine.kdf;
        *vault.user_mut(self.user.id)? =
            seal_for_user(&self.user, new_pin, &secret, &self.key, kdf)?;
        vault.save(&vault_path(&self.dir))
    }

    pub fn add_user(&mut self, full_name: &str, role: Role, pin: &str) -> Result<User> {
        self.require_coordinator()?;
        check_full_name(full_name)?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let kdf = vault.user(self.user.id)?.kdf;
        let user = User {
            id: UserId(new_uuid()),
            full_name: full_name.trim().to_owned(),
            role,
        };
        let envelope = seal_for_user(&user, pin, &secret, &self.key, kdf)?;
        insert_user(&self.conn, &user)?;
        vault.users.push(envelope);
        vault.save(&vault_path(&self.dir))?;
        Ok(user)
    }

    /// Sets a new PIN for another user (after a forgotten PIN or a recovery).
    pub fn reset_pin(&mut self, user: UserId, new_pin: &str) -> Result<()> {
        self.require_coordinator()?;
        let (secret, mut vault, _guard) = self.device_secret_and_vault()?;
        let who = load_user(&self.conn, user)?.ok_or(StoreError::UnknownUser)?;
        let kdf = vault.user(user)?.kdf;
        *vault.user_mut(user)? = seal_for_user(&who, new_pin, &secret, &self.key, kdf)?;
        vault.save(&vault_path(&self.dir))
    }

    /// Removes a user's access. Their records stay, with their name, for accountability.
    pub fn remove_user(&mut self, user: UserId) -> Result<()> {
        self.require_coordinator()?;
        if user == self.user.id {
            return Err(StoreError::NotAllowed {
                message: "U kunt uzelf niet verwijderen.".into(),
            });
        }
        let _guard = lock_vault(&vault_path(&self.dir))?;
        let mut vault = Vault::load(&vault_path(&self.dir))?;
        let before = vault.users.len();
        vault.users.retain(|u| u.user_id != user);
        if vault.users.len() == before {
            return Err(StoreError::UnknownUser);
        }
        self.conn.execute(
            "UPDATE users SET active = 0 WHERE id = ?1",
            params![user.to_string()],
        )?;
        vault.save(&vault_path(&self.dir))
    }

    pub fn users(&self) -> Result<Vec<User>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, full_name, role FROM users WHERE active = 1 ORDER BY full_name")?;
        let rows = stmt.query_map([], row_to_user)?;
        rows.map(|r| {
            r?.ok_or(StoreError::Damaged {
                detail: "gebruikers".into(),
            })
        })
        .collect()
    }

    pub fn new_case_id() -> CaseId {
        CaseId(new_uuid())
    }

    /// Decides `command` on the case and, when the engine accepts it, appends the events, chains
    /// them and updates the case list in one durable transaction. When this returns `Ok`, the
    /// record is on disk.
    pub fn record(&mut self, case_id: CaseId, command: &Command) -> Result<Vec<Envelope>> {
        self.record_all(case_id, std::slice::from_ref(command))
    }

    /// Like [`Store::record`] for several commands that belong together (a new case and its first
    /// signal): all of them are saved, or none.
    pub fn record_all(&mut self, case_id: CaseId, commands: &[Command]) -> Result<Vec<Envelope>> {
        let now = Utc::now();
        let policy = self.profile.policy();
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Remembered state and chain head are used only if nothing was appended since, by this
        // or another process (the CLI and the app may share a data folder).
        let case_tip = log::case_tip(&tx, case_id)?;
        let mut state = match self.cases.remove(&case_id) {
            Some((seen, state)) if Some(seen) == case_tip => state,
            _ => CaseState::replay(&log::case_events(&tx, case_id)?),
        };
        let tip = log::device_tip(&tx, self.device_id)?;
        let mut head = match self.head.take() {
            Some(h) if tip.as_ref() == Some(&(h.last_seq, h.hash.clone())) => h,
            _ => log::device_head(&tx, self.device_id)?,
        };
        let mut recorder = Recorder::new(self.device_id, head.last_seq, head.clock);
        let mut events = Vec::new();
        let mut last = 0;
        for command in commands {
            let ctx = DecideContext {
                actor: self.user.actor(),
                now,
                policy,
                catalogue: &self.catalogue,
            };
            let payloads = match decide(&state, &ctx, command) {
                Ok(p) => p,
                Err(refused) => {
                    // Nothing of this call reached the log yet: the remembered state still holds.
                    if events.is_empty() {
                        if let Some(seen) = case_tip {
                            self.cases.insert(case_id, (seen, state));
                        }
                        self.head = Some(head);
                    }
                    return Err(refused.into());
                }
            };
            let mut random = PreDrawn(
                (0..payloads.len())
                    .map(|_| crypto::random_bytes::<10>())
                    .collect::<Result<_>>()?,
            );
            let stamped = recorder.stamp(case_id, self.user.actor(), now, payloads, &mut random);
            for e in &stamped {
                last = log::append(&tx, &mut head, e)?;
                state = state.evolve(e);
            }
            events.extend(stamped);
        }
        projection::upsert(&tx, &state, policy, now)?;
        tx.commit()?;
        if self.cases.len() >= CACHED_CASES {
            self.cases.clear();
        }
        if last != 0 {
            self.cases.insert(case_id, (last, state));
        }
        self.head = Some(head);
        Ok(events)
    }

    pub fn list_cases(&self, search: Option<&str>) -> Result<Vec<CaseListItem>> {
        projection::list(
            &self.conn,
            self.user.actor(),
            search,
            Utc::now().date_naive(),
        )
    }

    /// A case's events, if this user may see it; an invisible case is "not found", so that its
    /// existence is not revealed either (R2).
    fn visible_case(&self, case_id: CaseId) -> Result<(CaseState, Vec<Envelope>)> {
        let events = log::case_events(&self.conn, case_id)?;
        let state = CaseState::replay(&events);
        if state.case_id.is_none() || !meldcode_engine::access::can_see(&state, self.user.actor()) {
            return Err(StoreError::NotFound { what: "Dossier" });
        }
        Ok((state, events))
    }

    pub fn case_view(&self, case_id: CaseId) -> Result<CaseView> {
        let (state, events) = self.visible_case(case_id)?;
        let now = Utc::now();
        let policy = self.profile.policy();
        let summary =
            summarise(&state, policy, now).ok_or(StoreError::NotFound { what: "Dossier" })?;
        let actions = next_actions(&state, policy, now);
        let mut rule_ids: Vec<RuleId> = actions.iter().map(|a| a.rule).collect();
        rule_ids.sort();
        rule_ids.dedup();
        let mut authors: Vec<UserId> = events.iter().map(|e| e.author).collect();
        authors.extend(state.involved.iter().copied());
        authors.sort();
        authors.dedup();
        let mut people = Vec::new();
        for id in authors {
            if let Some(user) = load_any_user(&self.conn, id)? {
                people.push(user);
            }
        }
        Ok(CaseView {
            summary,
            next_actions: actions,
            timeline: state.timeline.clone(),
            permitted: permitted_commands(&state, self.user.actor())
                .into_iter()
                .map(str::to_owned)
                .collect(),
            people,
            rules: rule_ids
                .into_iter()
                .map(|id| RuleText {
                    id,
                    title: id.title_nl().to_owned(),
                    text: id.text_nl().to_owned(),
                })
                .collect(),
            events,
        })
    }

    pub fn case_state(&self, case_id: CaseId) -> Result<CaseState> {
        Ok(self.visible_case(case_id)?.0)
    }

    pub fn export_case(&self, case_id: CaseId) -> Result<CaseExport> {
        let view = self.case_view(case_id)?;
        Ok(CaseExport {
            exported_at: Utc::now(),
            exported_by: self.user.id,
            school: self.profile.school_name.clone(),
            summary: view.summary,
            events: view.events,
        })
    }

    pub fn verify(&self) -> Result<VerifyReport> {
        log::verify(&self.conn)
    }

    /// A consistent encrypted copy while the store is in use: the database through
    /// `sqlcipher_export` inside one read transaction, plus the vault file. Restoring it on this
    /// device opens with the users' PINs; elsewhere it needs the recovery key.
    pub fn backup(&self, dest: &Path) -> Result<()> {
        // A copy holds every dossier, also those this user may not see: only the coordinator
        // and the director make one.
        if !matches!(self.user.role, Role::Coordinator | Role::Director) {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider of de directie maakt een reservekopie."
                    .into(),
            });
        }
        if dest.exists() && std::fs::read_dir(dest)?.next().is_some() {
            return Err(StoreError::Invalid {
                message: "De map voor de reservekopie is niet leeg.".into(),
            });
        }
        create_private_dir(dest)?;
        let target = db_path(dest);
        let target_text = target.to_str().ok_or(StoreError::Invalid {
            message: "De map voor de reservekopie heeft een naam die niet kan worden gebruikt."
                .into(),
        })?;
        let version: i64 = self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))?;
        self.conn.execute(
            &format!(
                "ATTACH DATABASE ?1 AS backup KEY {}",
                db::raw_key_literal(&self.key).as_str()
            ),
            params![target_text],
        )?;
        let exported = self
            .conn
            .query_row("SELECT sqlcipher_export('backup')", [], |_| Ok(()))
            .and_then(|()| {
                self.conn
                    .execute_batch(&format!("PRAGMA backup.user_version = {version};"))
            });
        let detached = self.conn.execute_batch("DETACH DATABASE backup");
        exported?;
        detached?;
        std::fs::copy(vault_path(&self.dir), vault_path(dest))?;
        Ok(())
    }

    /// For tests and the bench: the raw connection.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

fn insert_user(conn: &Connection, user: &User) -> Result<()> {
    conn.execute(
        "INSERT INTO users (id, full_name, role, active, added_at) VALUES (?1, ?2, ?3, 1, ?4)",
        params![
            user.id.to_string(),
            user.full_name,
            role_text(user.role),
            Utc::now().to_rfc3339()
        ],
    )?;
    Ok(())
}

fn role_text(role: Role) -> &'static str {
    match role {
        Role::Teacher => "teacher",
        Role::Coordinator => "coordinator",
        Role::Director => "director",
        Role::Board => "board",
    }
}

fn row_to_user(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<User>> {
    let id: String = r.get(0)?;
    let name: String = r.get(1)?;
    let role: String = r.get(2)?;
    let role = match role.as_str() {
        "teacher" => Role::Teacher,
        "coordinator" => Role::Coordinator,
        "director" => Role::Director,
        "board" => Role::Board,
        _ => return Ok(None),
    };
    Ok(id.parse().ok().map(|id| User {
        id,
        full_name: name,
        role,
    }))
}

/// Also a removed user: their records keep their name.
fn load_any_user(conn: &Connection, id: UserId) -> Result<Option<User>> {
    let user = query_user(conn, id)?;
    Ok(user.map(|(u, _)| u))
}

fn load_user(conn: &Connection, id: UserId) -> Result<Option<User>> {
    let user = query_user(conn, id)?;
    Ok(user.and_then(|(u, active)| active.then_some(u)))
}

/// A user and whether they still have access.
fn query_user(conn: &Connection, id: UserId) -> Result<Option<(User, bool)>> {
    Ok(conn
        .query_row(
            "SELECT id, full_name, role, active FROM users WHERE id = ?1",
            params![id.to_string()],
            |r| Ok(row_to_user(r)?.map(|u| (u, r.get::<_, i64>(3).is_ok_and(|a| a == 1)))),
        )
        .optional()?
        .flatten())
}

/// The data folder is private to the user who runs the app.
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}
