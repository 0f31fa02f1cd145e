//! The users' PIN packages in the spool (`vault::school_pin`): the school's PIN key, the newest
//! package of each user of this device, and the packages made here until the server took them.

use super::{damaged, Spool};
use crate::crypto::{self, Key};
use crate::error::{Result, StoreError};
use crate::sync::transport::Transport;
use crate::vault::school_pin::PinPackage;
use meldcode_engine::UserId;
use meldcode_sync::api::{PinUpload, SealedPin};
use rusqlite::{params, OptionalExtension};
use zeroize::Zeroizing;

impl Spool {
    /// Keeps the school's PIN key, so that PIN packages can be read while the app is locked.
    pub(crate) fn keep_pin_key(&self, key: &Key) -> Result<()> {
        let hex = Zeroizing::new(crypto::hex(key.as_slice()));
        if self.get("pin_key")?.as_deref() != Some(hex.as_str()) {
            self.set("pin_key", &hex)?;
        }
        Ok(())
    }

    pub(crate) fn pin_key(&self) -> Result<Option<Key>> {
        let Some(hex) = self.get("pin_key")?.map(Zeroizing::new) else {
            return Ok(None);
        };
        let bytes = Zeroizing::new(
            data_encoding::HEXLOWER
                .decode(hex.as_bytes())
                .map_err(|_| damaged())?,
        );
        let key: [u8; crypto::KEY_LEN] = bytes.as_slice().try_into().map_err(|_| damaged())?;
        Ok(Some(Zeroizing::new(key)))
    }

    /// Keeps each package if it is newer than the one held for its user.
    pub(super) fn keep_pins(&self, pins: &[SealedPin]) -> Result<()> {
        for pin in pins {
            self.upsert("pins", pin)?;
        }
        Ok(())
    }

    /// Writes `pin` into `table` unless the table holds a newer one of its user.
    fn upsert(&self, table: &str, pin: &SealedPin) -> Result<()> {
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO {table} (user_id, version, sealed) VALUES (?1, ?2, ?3)
                 ON CONFLICT (user_id) DO UPDATE SET version = excluded.version,
                   sealed = excluded.sealed WHERE excluded.version > {table}.version"
            ))?
            .execute(params![pin.user_id.to_string(), pin.version, pin.sealed])?;
        Ok(())
    }

    /// Drops the package held for `user`, who no longer works on this device.
    pub(crate) fn forget_pin(&self, user: UserId) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM pins WHERE user_id = ?1")?
            .execute(params![user.to_string()])?;
        Ok(())
    }

    /// A package made on this device: held for this device's unlock at once, and sent with the
    /// next round.
    pub(crate) fn queue_pin(&self, pin: &SealedPin) -> Result<()> {
        self.upsert("pins", pin)?;
        self.upsert("pins_out", pin)
    }

    /// The newest package of `user` that opens with `key` (one that does not is ignored: it was
    /// not made by a device of this school).
    pub(crate) fn pin_of(&self, user: UserId, key: &Key) -> Result<Option<PinPackage>> {
        let row: Option<(u32, Vec<u8>)> = self
            .conn
            .prepare_cached("SELECT version, sealed FROM pins WHERE user_id = ?1")?
            .query_row(params![user.to_string()], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        Ok(row.and_then(|(version, sealed)| {
            PinPackage::unseal(
                &SealedPin {
                    user_id: user,
                    version,
                    sealed,
                },
                key,
            )
        }))
    }

    /// The newest version of `user`'s package this device heard of: one it holds, or the
    /// version the server named (for a colleague who does not work here).
    pub(crate) fn known_pin_version(&self, user: UserId) -> Result<Option<u32>> {
        let held: Option<u32> = self
            .conn
            .prepare_cached("SELECT version FROM pins WHERE user_id = ?1")?
            .query_row(params![user.to_string()], |r| r.get(0))
            .optional()?;
        let named = self
            .get("pin_versions")?
            .and_then(|v| serde_json::from_str::<Vec<meldcode_sync::api::PinVersion>>(&v).ok())
            .and_then(|all| all.into_iter().find(|p| p.user_id == user))
            .map(|p| p.version);
        Ok(held.max(named))
    }

    /// Sends the packages made here. A refusal is written down and the packages stay for the
    /// next round; it does not stop the round, since the dossier's events matter more.
    pub(super) fn send_pins(&self, transport: &Transport) -> Result<()> {
        for _ in 0..3 {
            let pins = self.pins_out()?;
            if pins.is_empty() {
                return Ok(());
            }
            let receipt = match transport.put_pins(&PinUpload { pins: pins.clone() }) {
                Ok(receipt) => receipt,
                Err(StoreError::Server(e)) => {
                    eprintln!(
                        "meldcode: the server did not take a PIN package ({:?})",
                        e.code
                    );
                    return Ok(());
                }
                Err(other) => return Err(other),
            };
            for pin in &pins {
                let held = receipt.held.iter().find(|h| h.user_id == pin.user_id);
                match held {
                    Some(held) if held.version >= pin.version => {
                        self.reversion(pin, held.version)?
                    }
                    _ => self.sent(pin)?,
                }
            }
        }
        Ok(())
    }

    fn pins_out(&self) -> Result<Vec<SealedPin>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT user_id, version, sealed FROM pins_out")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?, r.get(2)?))
        })?;
        let mut pins = Vec::new();
        for row in rows {
            let (user, version, sealed) = row?;
            pins.push(SealedPin {
                user_id: user.parse().map_err(|_| damaged())?,
                version,
                sealed,
            });
        }
        Ok(pins)
    }

    fn sent(&self, pin: &SealedPin) -> Result<()> {
        self.conn
            .prepare_cached("DELETE FROM pins_out WHERE user_id = ?1 AND version <= ?2")?
            .execute(params![pin.user_id.to_string(), pin.version])?;
        Ok(())
    }

    /// The server holds another package of the same or a newer version. Made within ten
    /// minutes of it (the same second elsewhere, or a clock that is behind), this one is the
    /// later act and goes again as the next version; one that is older than that lost to a
    /// newer act and is dropped (the newer package reaches this device like any other).
    fn reversion(&self, pin: &SealedPin, held: u32) -> Result<()> {
        const CLOCKS_APART: u32 = 10 * 60;
        let again = match self.pin_key()? {
            Some(key) if held - pin.version <= CLOCKS_APART => PinPackage::unseal(pin, &key)
                .map(|mut package| {
                    package.version = held.saturating_add(1);
                    package.seal(&key)
                })
                .transpose()?,
            _ => None,
        };
        self.sent(pin)?;
        if let Some(again) = again {
            self.queue_pin(&again)?;
        }
        Ok(())
    }

    /// Changes when the users assigned to this device or their packages do.
    pub(crate) fn pins_fingerprint(&self) -> Result<String> {
        let pins: String = self
            .conn
            .prepare_cached(
                "SELECT coalesce(group_concat(user_id || ':' || version, ','), '')
                 FROM (SELECT user_id, version FROM pins ORDER BY user_id)",
            )?
            .query_row([], |r| r.get(0))?;
        Ok(format!("{}|{pins}", self.get("users")?.unwrap_or_default()))
    }

    /// Packages made here that the server has not taken yet.
    pub fn pins_waiting(&self) -> Result<u64> {
        let n: i64 = self
            .conn
            .prepare_cached("SELECT count(*) FROM pins_out")?
            .query_row([], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
