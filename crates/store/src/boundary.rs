//! What the app's screens exchange with the store beyond the engine's own types: the lock screen
//! before anything is unlocked, the session after it, and the quick capture at the school gate.

use crate::error::{ErrorBody, Result, StoreError};
use crate::files::write_atomically;
use crate::settings::DeviceSettings;
use crate::store::{Store, VAULT_FILE};
use crate::LockScreenUser;
use chrono::{DateTime, NaiveDate, Utc};
use meldcode_engine::people::{Pupil, User};
use meldcode_engine::profile::{Contact, ContactKind, SchoolProfile};
use meldcode_engine::signal::SignalInput;
use meldcode_engine::{CaseId, Command, PupilId};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The emergency bar's numbers, kept in plaintext so that they work on the lock screen. They are
/// the public numbers of services (112, Veilig Thuis), never a person's.
pub const EMERGENCY_FILE: &str = "emergency.json";

/// Everything the lock screen shows, readable without a PIN.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LockScreen {
    /// False until the first coordinator has been set up on this device.
    pub initialised: bool,
    pub users: Vec<LockScreenUser>,
    pub emergency: Vec<Contact>,
    pub settings: DeviceSettings,
    /// Why the users could not be listed (an unreadable vault, say). The emergency bar works
    /// all the same.
    pub problem: Option<ErrorBody>,
}

/// Who is working, once unlocked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user: User,
    pub school_name: String,
}

/// The first coordinator's set-up; the recovery key is shown once and never again.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub session: Session,
    pub recovery_key: String,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewPupil {
    pub full_name: String,
    pub group: String,
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
}

/// A signal seen at the gate: for a pupil who already has a case here, or for a new pupil, in
/// which case the case is opened and the signal recorded in one transaction.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureRequest {
    #[serde(default)]
    pub case_id: Option<CaseId>,
    #[serde(default)]
    pub new_pupil: Option<NewPupil>,
    pub signal: SignalInput,
}

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaptureResult {
    pub case_id: CaseId,
    /// When the save was durable on disk.
    pub recorded_at: DateTime<Utc>,
}

/// Only the services on the bar, without any contact person's name.
fn bar_of(profile: &SchoolProfile) -> Vec<Contact> {
    profile
        .emergency_bar()
        .map(|c| Contact {
            contact_person: None,
            ..c.clone()
        })
        .collect()
}

/// Before the school's profile is known (first start, or an unreadable file) the bar still
/// offers the national numbers: 112 and Veilig Thuis.
pub fn national_emergency_numbers() -> Vec<Contact> {
    bar_of(&SchoolProfile::mozaiek())
        .into_iter()
        .filter(|c| matches!(c.kind, ContactKind::Emergency | ContactKind::VeiligThuis))
        .collect()
}

pub fn save_emergency_numbers(dir: &Path, profile: &SchoolProfile) -> Result<()> {
    let text = serde_json::to_vec_pretty(&bar_of(profile)).map_err(|_| StoreError::Invalid {
        message: "Noodnummers konden niet worden opgeslagen.".into(),
    })?;
    write_atomically(&dir.join(EMERGENCY_FILE), &text)
}

pub fn emergency_numbers(dir: &Path) -> Vec<Contact> {
    std::fs::read_to_string(dir.join(EMERGENCY_FILE))
        .ok()
        .and_then(|t| serde_json::from_str::<Vec<Contact>>(&t).ok())
        .filter(|bar| !bar.is_empty())
        .unwrap_or_else(national_emergency_numbers)
}

impl Store {
    /// Never fails: whatever is wrong with the vault, the emergency bar must still show.
    pub fn lock_screen(dir: &Path) -> LockScreen {
        let initialised = dir.join(VAULT_FILE).exists();
        let (users, problem) = if initialised {
            match Self::lock_screen_users(dir) {
                Ok(users) => (users, None),
                Err(e) => (Vec::new(), Some(ErrorBody::from(e))),
            }
        } else {
            (Vec::new(), None)
        };
        LockScreen {
            initialised,
            users,
            emergency: emergency_numbers(dir),
            settings: DeviceSettings::load(dir),
            problem,
        }
    }

    pub fn session(&self) -> Session {
        Session {
            user: self.user().clone(),
            school_name: self.profile().school_name.clone(),
        }
    }

    pub fn capture(&mut self, request: &CaptureRequest) -> Result<CaptureResult> {
        let signal = Command::RecordSignal(request.signal.clone());
        let (case_id, events) = match (&request.case_id, &request.new_pupil) {
            (Some(case_id), None) => (*case_id, self.record(*case_id, &signal)?),
            (None, Some(pupil)) => {
                let case_id = Self::new_case_id();
                let open = Command::OpenCase {
                    pupil: Pupil {
                        id: PupilId(uuid::Uuid::now_v7()),
                        full_name: pupil.full_name.trim().to_owned(),
                        group: pupil.group.trim().to_owned(),
                        date_of_birth: pupil.date_of_birth,
                    },
                    parents: Vec::new(),
                };
                (case_id, self.record_all(case_id, &[open, signal])?)
            }
            _ => {
                return Err(StoreError::Invalid {
                    message: "Kies een leerling of voeg een nieuwe leerling toe.".into(),
                })
            }
        };
        Ok(CaptureResult {
            case_id,
            recorded_at: events
                .last()
                .map(|e| e.recorded_at)
                .unwrap_or_else(Utc::now),
        })
    }
}
