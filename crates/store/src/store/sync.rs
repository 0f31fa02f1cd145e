//! Sync on an unlocked store, and a new device joining the school.

use super::{create_private_dir, db_path, new_uuid, vault_path, Store};
use crate::crypto::{self, KdfParams};
use crate::error::{Result, StoreError};
use crate::sync::config::{self, Membership};
use crate::sync::inbox::Applied;
use crate::sync::spool::{Link, Spool};
use crate::sync::transport::{normalise_url, ClientIdentity, Pin, Transport};
use crate::sync::{round, DeviceUser, DeviceView, NewEnrollmentCode, SyncReport, SyncStatus};
use crate::vault::anchor::AnchoredHead;
use crate::vault::school_pin::{self, next_version, PinPackage};
use crate::vault::{keys, lock_vault, Vault};
use crate::{db, keyring};
use chrono::Utc;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::{Actor, DeviceId, Role, UserId};
use meldcode_sync::api::{Enroll, NewCode, Revoke};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::keys::{device_keypair, SchoolKey};
use rusqlite::params;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use zeroize::Zeroizing;

/// What a new device receives from the school through its enrollment code, sealed under the
/// code: the school key, the school's profile, and the public half of the school's recovery
/// key (so that the safe's recovery key opens this device too).
#[derive(Serialize, Deserialize)]
struct JoinPack {
    school_key: String,
    profile: SchoolProfile,
    recovery_public: Option<String>,
    /// The school's users as the coordinator's device knows them: the first coordinator has no
    /// `user_added` in the school log (set-up made her), so her name comes this way.
    #[serde(default)]
    users: Vec<meldcode_engine::people::User>,
}

fn crypto_box_rng() -> crypto_box::aead::OsRng {
    crypto_box::aead::OsRng
}

fn enroll_request(code: &EnrollmentCode, device_id: DeviceId, users: Vec<Actor>) -> Enroll {
    let (_secret, public) = device_keypair(&mut crypto_box_rng());
    Enroll {
        lookup: code.lookup(),
        proof: code.proof(),
        device_id,
        device_public: public.to_vec(),
        users,
    }
}

fn now_ms_to_utc(ms: u64) -> chrono::DateTime<Utc> {
    i64::try_from(ms)
        .ok()
        .and_then(chrono::DateTime::from_timestamp_millis)
        .unwrap_or_else(Utc::now)
}

impl Store {
    fn membership(&self) -> Result<Membership> {
        Membership::load(&self.conn)?.ok_or(StoreError::NotEnrolled)
    }

    pub fn is_enrolled(&self) -> Result<bool> {
        Ok(self.spool.is_some()
            || crate::sync::spool::spool_path(&self.dir).exists()
            || config::legacy_link(&self.conn)?.is_some())
    }

    /// This device's spool, opened once per session.
    pub(super) fn spool(&mut self) -> Result<&mut Spool> {
        if self.spool.is_none() {
            let spool = match Spool::open(&self.dir, &self.entry.secret)? {
                Some(spool) => spool,
                None => {
                    let (link, cursor, confirmed) =
                        config::legacy_link(&self.conn)?.ok_or(StoreError::NotEnrolled)?;
                    let spool = Spool::create(&self.dir, &self.entry.secret, &link)?;
                    spool.adopt(cursor, confirmed)?;
                    config::forget_legacy_link(&self.conn)?;
                    spool
                }
            };
            spool.keep_contact_limit(self.profile.contact_limit_days)?;
            if let Some(pin_key) = self.school_pin_key()? {
                spool.keep_pin_key(&pin_key)?;
            }
            self.spool = Some(spool);
        }
        self.spool.as_mut().ok_or(StoreError::NotEnrolled)
    }

    /// Enrolls this store's device as the school's first, with the code `meldcode-server init`
    /// printed; this device then makes the school key and the codes for the others.
    pub fn enroll(&mut self, server: &str, code: &str) -> Result<SyncReport> {
        if self.user.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider koppelt dit apparaat aan de schoolserver."
                    .into(),
            });
        }
        if self.is_enrolled()? {
            return Err(StoreError::Invalid {
                message: "Dit apparaat is al gekoppeld aan een schoolserver.".into(),
            });
        }
        let code = EnrollmentCode::parse(code).map_err(StoreError::Server)?;
        let identity = ClientIdentity::generate()?;
        let transport = Transport::new(server, Pin::Prefix(code_pin(&code)), &identity)?;
        let users = active_actors(&self.conn)?;
        let enrolled = transport.enroll(&enroll_request(&code, self.device_id, users))?;
        if enrolled.deposit.is_some() {
            return Err(StoreError::Invalid { message: "Deze code is voor een nieuw apparaat: gebruik hem op een apparaat zonder dossier.".into() });
        }
        let link = Link {
            server: normalise_url(server)?,
            fingerprint: transport
                .server_fingerprint()
                .ok_or(StoreError::NotEnrolled)?,
            identity,
        };
        Membership {
            school_key: SchoolKey(crypto::random_key()?),
            coordinator: enrolled.coordinator,
        }
        .save(&self.conn)?;
        let spool = Spool::create(&self.dir, &self.entry.secret, &link)?;
        spool.keep_contact_limit(self.profile.contact_limit_days)?;
        if let Some(pin_key) = self.school_pin_key()? {
            spool.keep_pin_key(&pin_key)?;
        }
        self.spool = Some(spool);
        // The users here keep their PINs: each becomes a school PIN at their next unlock, the
        // acting coordinator's at once would need her PIN, which is not at hand here.
        self.sync()
    }

    /// Seals what was recorded since the last time and queues it in the spool for the server:
    /// local work only, done after each commit, off the recording path. Not enrolled: nothing.
    pub fn hand_over(&mut self) -> Result<u64> {
        if !self.is_enrolled()? {
            return Ok(0);
        }
        let membership = self.membership()?;
        let own = self.device_id;
        self.spool()?;
        let Some(spool) = self.spool.as_mut() else {
            return Ok(0);
        };
        round::hand_over(&mut self.conn, own, &membership, spool)
    }

    /// Takes what the spool received into the dossier. Returns how many events.
    pub fn take_received(&mut self) -> Result<u64> {
        if !self.is_enrolled()? {
            return Ok(0);
        }
        let membership = self.membership()?;
        let own = self.device_id;
        let policy = self.profile.policy();
        let mut known = self.known_devices.clone();
        self.spool()?;
        let Some(spool) = self.spool.as_ref() else {
            return Ok(0);
        };
        let applied = round::take(&mut self.conn, own, &membership, spool, &mut known, policy)?;
        self.after_pull(known, &applied)?;
        self.take_pins()?;
        Ok(applied.events)
    }

    /// One round: hand over, exchange with the server, take what arrived. What arrived before
    /// a failure is taken too.
    pub fn sync(&mut self) -> Result<SyncReport> {
        self.hand_over()?;
        let round = self.spool()?.round();
        let received = self.take_received()?;
        let report = round?;
        Ok(SyncReport {
            sent: report.sent,
            received,
            cursor: self.spool()?.cursor()?,
        })
    }

    /// Other devices' chains become known, and their heads are anchored like this device's.
    fn after_pull(&mut self, known: Vec<DeviceId>, applied: &Applied) -> Result<()> {
        self.known_devices = known;
        // A tombstone that waited for its day may erase a case in a round that brought nothing.
        if !applied.destroyed.is_empty() {
            self.cases.clear();
        }
        if applied.events == 0 {
            return Ok(());
        }
        self.cases.clear();
        self.head = None;
        self.anchorer.flush();
        let path = vault_path(&self.dir);
        let _guard = lock_vault(&path)?;
        let mut vault = crate::vault::RawVault::read(&path)?.verify(&self.entry)?;
        for (device, (seq, hash, at)) in &applied.heads {
            vault.set_head(AnchoredHead {
                device_id: *device,
                seq: *seq,
                hash: hash.0.to_vec(),
                recorded_at: Some(*at),
            });
        }
        for (user, role) in &applied.roles {
            if let Ok(u) = vault.user_mut(*user) {
                u.role = *role;
            }
        }
        // A colleague removed on another device, or taken off this one, loses this one: their
        // envelope goes, and the database key is replaced so that an older copy of the vault
        // opens nothing.
        let gone = |u: &crate::vault::UserEnvelope| {
            applied.removed.contains(&u.user_id) || applied.unassigned.contains(&u.user_id)
        };
        for user in &applied.unassigned {
            // Not taken in again from an answer of the server's from before (`take_pins`).
            self.spool()?.forget_pin(*user)?;
        }
        if vault.users.iter().any(gone) {
            vault.users.retain(|u| !gone(u));
            if !vault.users.is_empty() {
                self.rekey(&mut vault)?;
            }
        }
        self.save_vault(&mut vault)
    }

    pub fn sync_status(&mut self) -> Result<SyncStatus> {
        if !self.is_enrolled()? {
            return Ok(SyncStatus::not_enrolled());
        }
        let own = self.device_id;
        self.spool()?;
        let Some(spool) = self.spool.as_ref() else {
            return Ok(SyncStatus::not_enrolled());
        };
        let unqueued = round::not_handed_over(&self.conn, own, spool)?;
        spool.status(unqueued)
    }

    /// Waits for the server to say something new arrived (true), or `wait` to pass (false).
    pub fn wait_for_news(&mut self, wait: Duration) -> Result<bool> {
        Ok(self.spool()?.wait_for_news(wait)?.is_some())
    }

    /// The school's devices, for the coordinator's *Apparaten* screen.
    pub fn devices(&mut self) -> Result<Vec<DeviceView>> {
        if self.user.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider beheert de apparaten.".into(),
            });
        }
        let own = self.device_id;
        let listed = self.spool()?.transport()?.devices()?;
        let mut out = Vec::new();
        for d in listed.devices {
            let mut users = Vec::new();
            for user_id in d.users {
                let known = super::user_rows::query_user(&self.conn, user_id)?;
                users.push(DeviceUser {
                    user_id,
                    full_name: known.as_ref().map(|(u, _)| u.full_name.clone()),
                    role: known.map(|(u, _)| u.role),
                });
            }
            out.push(DeviceView {
                device_id: d.device_id,
                this_device: d.device_id == own,
                coordinator: d.coordinator,
                enrolled_at: now_ms_to_utc(d.enrolled_at_ms),
                last_seen: d.last_seen_ms.map(now_ms_to_utc),
                revoked_at: d.revoked_at_ms.map(now_ms_to_utc),
                users,
            });
        }
        Ok(out)
    }

    /// Revokes a lost or stolen device, with the coordinator's own PIN again.
    pub fn revoke_device(&mut self, pin: &str, device: DeviceId) -> Result<()> {
        if self.user.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider trekt een apparaat in.".into(),
            });
        }
        if device == self.device_id {
            return Err(StoreError::Invalid {
                message: "Dit apparaat kan zichzelf niet intrekken.".into(),
            });
        }
        self.confirm_own_pin(pin)?;
        self.spool()?
            .transport()?
            .revoke(&Revoke { device_id: device })?;
        Ok(())
    }

    /// A code for a new device of `user`, valid for 15 minutes: made on a coordinator's device,
    /// with the school key and profile sealed under it for the new device alone.
    pub fn new_enrollment_code(&mut self, user: UserId) -> Result<NewEnrollmentCode> {
        if self.user.role != Role::Coordinator {
            return Err(StoreError::NotAllowed {
                message: "Alleen de intern begeleider maakt een koppelcode.".into(),
            });
        }
        let target =
            super::user_rows::load_user(&self.conn, user)?.ok_or(StoreError::UnknownUser)?;
        let membership = self.membership()?;
        // The new device learns its user from the school log: the server must have it first.
        self.sync()?;
        let transport = self.spool()?.transport()?;
        let fingerprint = self.spool()?.link()?.fingerprint;
        let mut random = Zeroizing::new([0u8; RANDOM_LEN]);
        random.copy_from_slice(&crypto::random_bytes::<RANDOM_LEN>()?);
        let code = EnrollmentCode::new(random, &fingerprint);
        let recovery_public = {
            let path = vault_path(&self.dir);
            let _guard = lock_vault(&path)?;
            let vault = crate::vault::RawVault::read(&path)?.verify(&self.entry)?;
            vault.recovery_public.map(|p| crypto::hex(&p.0))
        };
        let pack = Zeroizing::new(
            serde_json::to_vec(&JoinPack {
                school_key: data_encoding::HEXLOWER.encode(membership.school_key.0.as_slice()),
                profile: self.profile.clone(),
                recovery_public,
                users: self.users()?,
            })
            .map_err(|_| StoreError::Invalid {
                message: "Koppelcode kon niet worden gemaakt.".into(),
            })?,
        );
        let deposit = code
            .deposit(&pack, crypto::random_bytes::<24>()?)
            .map_err(StoreError::Server)?;
        let issued = transport.new_code(&NewCode {
            lookup: code.lookup(),
            verifier: verifier(&code.proof()),
            deposit,
            users: vec![target.id],
            coordinator: target.role == Role::Coordinator,
        })?;
        Ok(NewEnrollmentCode {
            text: code.text(),
            expires_at: now_ms_to_utc(issued.expires_at_ms),
        })
    }

    /// A new device's code as the app shows it: text, link and QR code.
    pub fn enrollment_code_view(
        &mut self,
        user: UserId,
    ) -> Result<crate::sync::EnrollmentCodeView> {
        let code = self.new_enrollment_code(user)?;
        let server = self.spool()?.link()?.server;
        Ok(crate::sync::code_view::view(&server, &code, user))
    }

    /// Sets up a new device from an enrollment code: enrolls it, receives the school's users
    /// and the cases meant for it, and gives the user the code was made for `pin` on it.
    pub fn join(dir: &Path, server: &str, code: &str, pin: &str, kdf: KdfParams) -> Result<Self> {
        crate::vault::check_pin_strength(pin)?;
        kdf.check_floor()?;
        create_private_dir(dir)?;
        let path = vault_path(dir);
        let _guard = lock_vault(&path)?;
        if path.exists() || db_path(dir).exists() {
            return Err(StoreError::AlreadyInitialised);
        }
        let code = EnrollmentCode::parse(code).map_err(StoreError::Server)?;
        let identity = ClientIdentity::generate()?;
        let transport = Transport::new(server, Pin::Prefix(code_pin(&code)), &identity)?;
        let device_id = DeviceId(new_uuid());
        let enrolled = transport.enroll(&enroll_request(&code, device_id, Vec::new()))?;
        let unreadable = || StoreError::Invalid {
            message: "De gegevens van de school bij deze code konden niet worden gelezen.".into(),
        };
        let pack_bytes = enrolled
            .deposit
            .as_ref()
            .and_then(|d| code.open_deposit(d))
            .ok_or_else(unreadable)?;
        let pack: JoinPack = serde_json::from_slice(&pack_bytes).map_err(|_| unreadable())?;
        let key_bytes = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(pack.school_key.as_bytes())
                .map_err(|_| unreadable())?,
        );
        let school_key: [u8; 32] = key_bytes.as_slice().try_into().map_err(|_| unreadable())?;

        let device_secret = keyring::create_device_secret(device_id)?;
        let db_key = crypto::random_key()?;
        let fingerprint = transport.server_fingerprint();
        let made = Self::join_store(
            dir,
            device_id,
            &enrolled,
            &pack,
            school_key,
            fingerprint,
            identity,
            server,
            pin,
            kdf,
            device_secret,
            db_key,
        );
        if made.is_err() && !matches!(made, Err(StoreError::JoinedUseOtherPin)) {
            // Nothing half made stays behind: the folder is as it was, the code is used up (the
            // coordinator makes a new one), the keyring holds no orphan entry.
            for f in [
                db_path(dir),
                vault_path(dir),
                crate::sync::spool::spool_path(dir),
            ] {
                let _ = std::fs::remove_file(&f);
                for suffix in ["-wal", "-shm", "-journal"] {
                    let mut side = f.clone().into_os_string();
                    side.push(suffix);
                    let _ = std::fs::remove_file(side);
                }
            }
            let _ = keyring::delete_device_secret(device_id);
        }
        made
    }

    #[allow(clippy::too_many_arguments)]
    fn join_store(
        dir: &Path,
        device_id: DeviceId,
        enrolled: &meldcode_sync::api::Enrolled,
        pack: &JoinPack,
        school_key: [u8; 32],
        fingerprint: Option<meldcode_sync::Hash>,
        identity: ClientIdentity,
        server: &str,
        pin: &str,
        kdf: KdfParams,
        device_secret: crypto::Key,
        db_key: crypto::Key,
    ) -> Result<Self> {
        let path = vault_path(dir);
        let unreadable = || StoreError::Invalid {
            message: "De gegevens van de school bij deze code konden niet worden gelezen.".into(),
        };
        let user_id = *enrolled.users.first().ok_or_else(unreadable)?;
        let mut conn = db::open(&db_path(dir), &db_key, true)?;
        let profile_json = serde_json::to_string(&pack.profile).map_err(|_| unreadable())?;
        conn.execute(
            "INSERT INTO meta (key, value) VALUES ('device_id', ?1), ('school_profile', ?2)",
            params![device_id.to_string(), profile_json],
        )?;
        let membership = Membership {
            school_key: SchoolKey(Zeroizing::new(school_key)),
            coordinator: enrolled.coordinator,
        };
        membership.save(&conn)?;
        crate::boundary::save_emergency_numbers(dir, &pack.profile)?;
        let link = Link {
            server: normalise_url(server)?,
            fingerprint: fingerprint.ok_or_else(unreadable)?,
            identity,
        };
        let mut spool = Spool::create(dir, &device_secret, &link)?;
        spool.keep_contact_limit(pack.profile.contact_limit_days)?;
        spool.round()?;
        let mut known = vec![device_id];
        let applied = round::take(
            &mut conn,
            device_id,
            &membership,
            &spool,
            &mut known,
            pack.profile.policy(),
        )?;
        for known in &pack.users {
            if super::user_rows::query_user(&conn, known.id)?.is_none() {
                super::user_rows::insert_user(&conn, known)?;
            }
        }
        let user = super::user_rows::load_user(&conn, user_id)?.ok_or(StoreError::Invalid {
            message: "De school heeft de gebruiker van deze code (nog) niet gedeeld. Vraag de intern begeleider om te synchroniseren en een nieuwe code.".into(),
        })?;

        // Her PIN for the school: the one she has from her other devices, else the one typed now.
        let pin_key = school_pin::pin_key(&membership.school_key)?;
        spool.keep_pin_key(&pin_key)?;
        let (envelope, pin_opens) = match spool.pin_of(user.id, &pin_key)? {
            Some(package) => (
                package.envelope(&user, &db_key, 1)?,
                package.open_secret(pin, &pin_key)?.is_some(),
            ),
            None => {
                let pair = crypto::new_keypair();
                let package = PinPackage::new(
                    user.id,
                    next_version(None),
                    pin,
                    &pin_key,
                    &pair.secret,
                    kdf,
                    false,
                )?;
                spool.queue_pin(&package.seal(&pin_key)?)?;
                (package.envelope(&user, &db_key, 1)?, true)
            }
        };
        let mut heads = vec![AnchoredHead {
            device_id,
            seq: 0,
            hash: crate::log::GENESIS.to_vec(),
            recorded_at: None,
        }];
        for (device, (seq, hash, at)) in &applied.heads {
            heads.push(AnchoredHead {
                device_id: *device,
                seq: *seq,
                hash: hash.0.to_vec(),
                recorded_at: Some(*at),
            });
        }
        let mut vault = Vault::fresh(device_id, envelope, heads);
        if let Some(public) = pack
            .recovery_public
            .as_deref()
            .and_then(|p| data_encoding::HEXLOWER.decode(p.as_bytes()).ok())
        {
            vault.recovery_boxes.push(keys::BoxedKey {
                generation: 1,
                sealed: crypto::seal_to(&public, db_key.as_slice())?,
            });
            vault.recovery_public = Some(keys::PublicKey(public));
        }
        vault.save(&path, &device_secret)?;
        let entry = keyring::DeviceEntry {
            secret: device_secret,
            counter: Some(vault.counter),
            own_seq: 0,
        };
        // Her other devices hear of a new PIN now rather than at the first round; offline, it
        // waits in the spool like everything else.
        let _ = spool.round();
        if !pin_opens {
            return Err(StoreError::JoinedUseOtherPin);
        }
        Self::from_parts(dir, conn, db_key, user.id, entry, &vault)
    }
}

fn code_pin(code: &EnrollmentCode) -> [u8; 16] {
    code.pin_prefix()
}

fn active_actors(conn: &rusqlite::Connection) -> Result<Vec<Actor>> {
    let mut stmt = conn.prepare("SELECT id, full_name, role FROM users WHERE active = 1")?;
    let rows = stmt.query_map([], super::user_rows::row_to_user)?;
    let mut out = Vec::new();
    for row in rows {
        if let Some(u) = row? {
            out.push(u.actor());
        }
    }
    Ok(out)
}
