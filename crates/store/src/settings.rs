//! Per-device settings that the lock screen needs before anything is unlocked: the language and
//! how soon the app locks itself. They hold no personal data, so they live in plaintext beside
//! the vault.

use crate::error::{Result, StoreError};
use crate::files::write_atomically;
use serde::{Deserialize, Serialize};
use std::path::Path;

pub const SETTINGS_FILE: &str = "settings.json";
pub const LOCK_AFTER_MINUTES_MIN: u16 = 1;
/// A tablet left on a desk in a classroom should not stay open for a whole lesson.
pub const LOCK_AFTER_MINUTES_MAX: u16 = 30;

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    Nl,
    En,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceSettings {
    pub language: Language,
    /// Minutes without a touch before the app locks itself.
    pub lock_after_minutes: u16,
    /// OS notifications when a case asks for a step (counts only, never a name); on unless the
    /// user turned them off. Missing in a file saved before reminders existed: on.
    #[serde(default = "on")]
    pub reminders: bool,
}

fn on() -> bool {
    true
}

impl Default for DeviceSettings {
    fn default() -> Self {
        Self {
            language: Language::Nl,
            lock_after_minutes: 3,
            reminders: true,
        }
    }
}

impl DeviceSettings {
    /// The saved settings, or the defaults when none were saved or the file is unreadable: a
    /// broken settings file must never keep anyone from the emergency bar or the lock screen.
    pub fn load(dir: &Path) -> Self {
        std::fs::read_to_string(dir.join(SETTINGS_FILE))
            .ok()
            .and_then(|t| serde_json::from_str::<Self>(&t).ok())
            .filter(|s| s.check().is_ok())
            .unwrap_or_default()
    }

    pub fn check(&self) -> Result<()> {
        if (LOCK_AFTER_MINUTES_MIN..=LOCK_AFTER_MINUTES_MAX).contains(&self.lock_after_minutes) {
            Ok(())
        } else {
            Err(StoreError::Invalid {
                message: format!(
                    "Kies een vergrendeltijd van {LOCK_AFTER_MINUTES_MIN} tot {LOCK_AFTER_MINUTES_MAX} minuten."
                ),
            })
        }
    }

    pub fn save(&self, dir: &Path) -> Result<()> {
        self.check()?;
        let text = serde_json::to_vec_pretty(self).map_err(|_| StoreError::Invalid {
            message: "Instellingen konden niet worden opgeslagen.".into(),
        })?;
        write_atomically(&dir.join(SETTINGS_FILE), &text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_and_fall_back_to_defaults() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(DeviceSettings::load(dir.path()), DeviceSettings::default());
        let mine = DeviceSettings {
            language: Language::En,
            lock_after_minutes: 10,
            reminders: false,
        };
        mine.save(dir.path()).unwrap();
        assert_eq!(DeviceSettings::load(dir.path()), mine);
        // A file from before reminders existed keeps its choices and has reminders on.
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            r#"{"language": "en", "lock_after_minutes": 10}"#,
        )
        .unwrap();
        assert_eq!(
            DeviceSettings::load(dir.path()),
            DeviceSettings {
                reminders: true,
                ..mine
            }
        );
        std::fs::write(dir.path().join(SETTINGS_FILE), "{ broken").unwrap();
        assert_eq!(DeviceSettings::load(dir.path()), DeviceSettings::default());
    }

    #[test]
    fn lock_time_out_of_range_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        for minutes in [0, 31, 600] {
            let s = DeviceSettings {
                lock_after_minutes: minutes,
                ..DeviceSettings::default()
            };
            assert_eq!(s.save(dir.path()).unwrap_err().code(), "invalid");
        }
    }
}
