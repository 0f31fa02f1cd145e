//! What the app's screens exchange with the store beyond the engine's own types: the lock screen
//! before anything is unlocked, the session after it, and the quick capture at the school gate.

use crate::error::{ErrorBody, Result, StoreError};
use crate::files::write_atomically;
use crate::settings::DeviceSettings;
use crate::store::{Store, VAULT_FILE};
use crate::LockScreenUser;
use chrono::{DateTime, NaiveDate, Utc};
use meldcode_engine::people::{Pupil, User};
use meldcode_engine::profile::{check_contact, Contact, ContactKind, SchoolProfile};
use meldcode_engine::signal::SignalInput;
use meldcode_engine::{CaseId, Command, PupilId};
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// The emergency bar's numbers, kept in plaintext so that they work on the lock screen. They are
/// the public numbers of services (112, Veilig Thuis), never a person's. Anyone with access to
/// the files can edit it, so it is checked every time it is read.
pub const EMERGENCY_FILE: &str = "emergency.json";

/// The kinds of contact that belong on the bar: services to call in an emergency. A person's
/// number, or an office's, has no place on a screen anyone can see, and on a bar that dials with
/// one tap a wrong kind is how a false number would slip in.
const BAR_KINDS: [ContactKind; 3] = [
    ContactKind::Emergency,
    ContactKind::VeiligThuis,
    ContactKind::CrisisService,
];

/// The bar labels an emergency contact "Bel 112" whatever its number, so 112 is the only number
/// such a contact may dial.
const EMERGENCY_DIAL: &str = "112";

/// Far more than any bar the app writes (a few contacts, a few kilobytes); a larger file is not
/// ours and is not read into memory.
const MAX_EMERGENCY_FILE_BYTES: u64 = 64 * 1024;

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
    /// Set when the school's emergency numbers could not be used and the bar shows the national
    /// ones (112 and Veilig Thuis) instead.
    pub emergency_problem: Option<ErrorBody>,
}

/// Who is working, once unlocked.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    pub user: User,
    pub school_name: String,
    /// Problems with the record found at unlock (missing or changed events, an older copy put
    /// back, a chain of an unknown device), until the coordinator or the director acknowledges
    /// them. Every screen shows them.
    pub alarms: Vec<crate::vault::anchor::IntegrityAlarm>,
    /// The PIN was set by the coordinator: the user chooses their own before anything else.
    pub must_change_pin: bool,
}

/// The first coordinator's set-up; the recovery key is shown once and never again.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setup {
    pub session: Session,
    /// Wiped from memory once sent.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub recovery_key: zeroize::Zeroizing<String>,
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

/// A bar contact as the lock screen may show it: without a contact person's name, and with a
/// website only over https, as the lock screen opens it for anyone who taps.
fn for_lock_screen(c: &Contact) -> Contact {
    Contact {
        contact_person: None,
        website: c.website.clone().filter(|w| is_https(w)),
        ..c.clone()
    }
}

fn is_https(website: &str) -> bool {
    website
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
}

/// Before the school's profile is known (first start, or an unreadable file) the bar still
/// offers the national numbers: 112 and Veilig Thuis.
pub fn national_emergency_numbers() -> Vec<Contact> {
    SchoolProfile::mozaiek()
        .emergency_bar()
        .filter(|c| matches!(c.kind, ContactKind::Emergency | ContactKind::VeiligThuis))
        .map(for_lock_screen)
        .collect()
}

/// The school's bar as the lock screen keeps it: only what [`check_bar`] accepts, so that what
/// the app writes it also reads back, and always with 112 and Veilig Thuis. A contact the
/// profile puts on the bar that is not an emergency service stays on the social map.
fn lock_screen_bar(profile: &SchoolProfile) -> Vec<Contact> {
    let mut bar: Vec<Contact> = profile
        .emergency_bar()
        .map(for_lock_screen)
        .filter(|c| bar_contact_problem(c).is_none())
        .collect();
    for national in national_emergency_numbers().into_iter().rev() {
        if !bar.iter().any(|c| c.kind == national.kind) {
            bar.retain(|c| c.id != national.id);
            bar.insert(0, national);
        }
    }
    bar
}

pub fn save_emergency_numbers(dir: &Path, profile: &SchoolProfile) -> Result<()> {
    let text =
        serde_json::to_vec_pretty(&lock_screen_bar(profile)).map_err(|_| StoreError::Invalid {
            message: "Noodnummers konden niet worden opgeslagen.".into(),
        })?;
    write_atomically(&dir.join(EMERGENCY_FILE), &text)
}

/// What is wrong with one contact on the bar, checked as the school profile checks its
/// contacts and then against what the bar allows; `None` when it may be shown.
fn bar_contact_problem(c: &Contact) -> Option<String> {
    if let Err(e) = check_contact(c) {
        return Some(e.to_string());
    }
    if !c.emergency_bar || !BAR_KINDS.contains(&c.kind) {
        return Some(format!("'{}' is geen noodnummer.", c.id));
    }
    if c.contact_person.is_some() {
        return Some(format!("'{}' noemt een contactpersoon.", c.id));
    }
    if c.website.as_deref().is_some_and(|w| !is_https(w)) {
        return Some(format!("'{}' heeft een website zonder https.", c.id));
    }
    let dial = c.phone.as_ref().map(|p| p.dial.as_str());
    if c.kind == ContactKind::Emergency && dial != Some(EMERGENCY_DIAL) {
        return Some(format!("'{}' belt niet 112.", c.id));
    }
    None
}

/// The whole bar: each contact allowed and listed once, with 112 and Veilig Thuis on it, as the
/// app always writes it. The reason is for tests; the lock screen shows none of it.
fn check_bar(bar: &[Contact]) -> std::result::Result<(), String> {
    for (i, c) in bar.iter().enumerate() {
        if let Some(problem) = bar_contact_problem(c) {
            return Err(problem);
        }
        if bar[..i].iter().any(|earlier| earlier.id == c.id) {
            return Err(format!("'{}' staat er twee keer in.", c.id));
        }
    }
    for kind in [ContactKind::Emergency, ContactKind::VeiligThuis] {
        if !bar.iter().any(|c| c.kind == kind) {
            return Err(format!("{} ontbreekt.", kind.label_nl()));
        }
    }
    Ok(())
}

fn read_bar(dir: &Path) -> std::result::Result<Vec<Contact>, String> {
    let file = std::fs::File::open(dir.join(EMERGENCY_FILE)).map_err(|e| e.to_string())?;
    let mut text = String::new();
    file.take(MAX_EMERGENCY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| e.to_string())?;
    if text.len() as u64 > MAX_EMERGENCY_FILE_BYTES {
        return Err("te groot".to_owned());
    }
    let bar: Vec<Contact> = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    check_bar(&bar)?;
    Ok(bar)
}

/// The emergency bar, and a note for the lock screen when the school's own numbers could not be
/// used. The note never repeats what the file says: whoever changed it should not be able to put
/// words on the lock screen.
pub fn read_emergency_numbers(dir: &Path) -> (Vec<Contact>, Option<ErrorBody>) {
    // Before set-up there is no school bar yet; after it, the app has always written one, so a
    // missing file was removed.
    if !dir.join(EMERGENCY_FILE).exists() && !dir.join(VAULT_FILE).exists() {
        return (national_emergency_numbers(), None);
    }
    match read_bar(dir) {
        Ok(bar) => (bar, None),
        Err(_) => (
            national_emergency_numbers(),
            Some(ErrorBody {
                code: "emergency_numbers_unreadable".to_owned(),
                message: "De noodnummers van de school konden niet worden gelezen. Daarom staan \
                          hier de landelijke nummers: 112 en Veilig Thuis. Meld dit aan de \
                          ICT-beheerder van de school."
                    .to_owned(),
            }),
        ),
    }
}

/// The numbers the lock screen may dial; see [`read_emergency_numbers`].
pub fn emergency_numbers(dir: &Path) -> Vec<Contact> {
    read_emergency_numbers(dir).0
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
        let (emergency, emergency_problem) = read_emergency_numbers(dir);
        LockScreen {
            initialised,
            users,
            emergency,
            settings: DeviceSettings::load(dir),
            problem,
            emergency_problem,
        }
    }

    pub fn session(&self) -> Session {
        Session {
            user: self.user().clone(),
            school_name: self.profile().school_name.clone(),
            alarms: self.alarms().to_vec(),
            must_change_pin: self.must_change_pin(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use meldcode_engine::profile::PhoneNumber;

    fn mozaiek_bar() -> Vec<Contact> {
        SchoolProfile::mozaiek()
            .emergency_bar()
            .map(for_lock_screen)
            .collect()
    }

    fn refused_because(bar: &[Contact], reason: &str) {
        let err = check_bar(bar).expect_err("the bar should be refused");
        assert!(err.contains(reason), "expected '{reason}', got: {err}");
    }

    #[test]
    fn what_the_app_writes_it_reads_back() {
        let profile = SchoolProfile::mozaiek();
        assert_eq!(check_bar(&national_emergency_numbers()), Ok(()));
        let bar = lock_screen_bar(&profile);
        assert_eq!(check_bar(&bar), Ok(()));
        assert_eq!(bar, mozaiek_bar());
    }

    #[test]
    fn the_lock_screen_keeps_only_services_https_sites_and_always_112_and_veilig_thuis() {
        let mut profile = SchoolProfile::mozaiek();
        for c in &mut profile.contacts {
            match c.kind {
                // A school that left 112 off its bar, put its youth centre on it and gave the
                // crisis service a plain-http site.
                ContactKind::Emergency => c.emergency_bar = false,
                ContactKind::YouthAndFamily => c.emergency_bar = true,
                ContactKind::CrisisService => c.website = Some("http://example.nl/".into()),
                _ => {}
            }
        }
        let bar = lock_screen_bar(&profile);
        assert_eq!(check_bar(&bar), Ok(()));
        let ids: Vec<&str> = bar.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "alarmnummer-112",
                "veilig-thuis-landelijk",
                "crisisdienst-jeugdbescherming-noord"
            ]
        );
        assert_eq!(bar[2].website, None);
    }

    #[test]
    fn each_bar_rule_refuses_for_its_own_reason() {
        let bar = mozaiek_bar();
        let with = |i: usize, change: &dyn Fn(&mut Contact)| {
            let mut bar = bar.clone();
            change(&mut bar[i]);
            bar
        };
        refused_because(
            &with(1, &|c| c.website = Some("javascript:alert(1)".into())),
            "website",
        );
        refused_because(
            &with(1, &|c| {
                c.website = Some("http://www.veiligthuis.nl/".into())
            }),
            "zonder https",
        );
        refused_because(
            &with(2, &|c| {
                c.phone = Some(PhoneNumber {
                    dial: "12345".into(),
                    display: "12345".into(),
                })
            }),
            "geen geldig telefoonnummer",
        );
        refused_because(
            &with(2, &|c| c.kind = ContactKind::Other),
            "geen noodnummer",
        );
        refused_because(&with(2, &|c| c.emergency_bar = false), "geen noodnummer");
        refused_because(
            &with(1, &|c| c.contact_person = Some("Jan de Boer".into())),
            "contactpersoon",
        );
        refused_because(
            &with(0, &|c| c.phone = PhoneNumber::parse("0800-2000").ok()),
            "niet 112",
        );
        refused_because(&with(2, &|c| c.id = bar[1].id.clone()), "twee keer");
        refused_because(&bar[1..], "Noodnummer ontbreekt");
        refused_because(&[], "Noodnummer ontbreekt");
    }
}
