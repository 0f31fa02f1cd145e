//! The app's quick capture and lock screen, over the real store.
mod common;

use common::*;
use meldcode_engine::signal::SignalInput;
use meldcode_engine::testkit;
use meldcode_engine::{Command, Role};
use meldcode_store::boundary::{national_emergency_numbers, EMERGENCY_FILE};
use meldcode_store::{CaptureRequest, DeviceSettings, NewPupil, Proof, Store};

fn signal() -> SignalInput {
    match testkit::signal_own() {
        Command::RecordSignal(s) => s,
        other => panic!("testkit gave {other:?}"),
    }
}

fn new_pupil(name: &str) -> NewPupil {
    NewPupil {
        full_name: name.into(),
        group: "groep 5".into(),
        date_of_birth: None,
    }
}

#[test]
fn capture_for_a_new_pupil_opens_the_case_and_records_the_signal_together() {
    let mut f = fresh();
    let done = f
        .store
        .capture(&CaptureRequest {
            case_id: None,
            new_pupil: Some(new_pupil("Sanne Bakker")),
            signal: signal(),
        })
        .unwrap();
    let view = f.store.case_view(done.case_id).unwrap();
    assert_eq!(view.summary.pupil_name, "Sanne Bakker");
    let kinds: Vec<&str> = view.events.iter().map(|e| e.payload.kind()).collect();
    assert_eq!(kinds, ["case_opened", "signal_recorded"]);
    assert_eq!(done.recorded_at, view.events[1].recorded_at);
}

#[test]
fn capture_for_an_existing_case_adds_the_signal() {
    let mut f = fresh();
    let case = case_with_signal(&mut f.store);
    f.store
        .capture(&CaptureRequest {
            case_id: Some(case),
            new_pupil: None,
            signal: signal(),
        })
        .unwrap();
    let view = f.store.case_view(case).unwrap();
    assert_eq!(
        view.events
            .iter()
            .filter(|e| e.payload.kind() == "signal_recorded")
            .count(),
        2
    );
}

#[test]
fn a_refused_signal_leaves_no_half_opened_case() {
    let mut f = fresh();
    let mut bad = signal();
    bad.facts = "  ".into();
    let err = f
        .store
        .capture(&CaptureRequest {
            case_id: None,
            new_pupil: Some(new_pupil("Sanne Bakker")),
            signal: bad,
        })
        .unwrap_err();
    assert_eq!(err.code(), "rule_violation");
    assert!(f.store.list_cases(None).unwrap().is_empty());
    assert_eq!(f.store.verify().unwrap().events, 0);
    // The store still records normally afterwards.
    case_with_signal(&mut f.store);
    assert_eq!(f.store.list_cases(None).unwrap().len(), 1);
}

#[test]
fn capture_needs_exactly_one_of_case_and_new_pupil() {
    let mut f = fresh();
    let neither = CaptureRequest {
        case_id: None,
        new_pupil: None,
        signal: signal(),
    };
    assert_eq!(f.store.capture(&neither).unwrap_err().code(), "invalid");
    let case = case_with_signal(&mut f.store);
    let both = CaptureRequest {
        case_id: Some(case),
        new_pupil: Some(new_pupil("Sanne Bakker")),
        signal: signal(),
    };
    assert_eq!(f.store.capture(&both).unwrap_err().code(), "invalid");
}

#[test]
fn lock_screen_before_set_up_offers_the_national_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let screen = Store::lock_screen(&dir.path().join("data"));
    assert!(!screen.initialised);
    assert!(screen.users.is_empty());
    let dials: Vec<&str> = screen
        .emergency
        .iter()
        .filter_map(|c| c.phone.as_ref().map(|p| p.dial.as_str()))
        .collect();
    assert_eq!(dials, ["112", "+318002000"]);
    assert_eq!(screen.settings, DeviceSettings::default());
}

#[test]
fn lock_screen_after_set_up_lists_users_and_the_schools_emergency_bar() {
    let mut f = fresh();
    f.store
        .add_user(Proof::Pin(PIN), "Pieter de Vries", Role::Teacher, "735142")
        .unwrap();
    let screen = Store::lock_screen(&f.data());
    assert_eq!(screen.problem, None);
    assert!(screen.initialised);
    let names: Vec<&str> = screen
        .users
        .iter()
        .map(|u| u.display_name.as_str())
        .collect();
    assert_eq!(names, [COORDINATOR, "Pieter de Vries"]);
    assert!(screen.emergency.len() >= national_emergency_numbers().len());
    assert!(screen.emergency.iter().all(|c| c.emergency_bar));
    // The plaintext file holds services' numbers only, never a contact person's name.
    let text = std::fs::read_to_string(f.data().join(EMERGENCY_FILE)).unwrap();
    assert!(text.contains("\"contact_person\": null"));
    assert!(!text.contains(testkit::pupil().full_name.as_str()));
}

#[test]
fn a_damaged_vault_still_leaves_the_emergency_bar() {
    let f = fresh();
    std::fs::write(f.data().join("vault.json"), "{ not a vault").unwrap();
    let screen = Store::lock_screen(&f.data());
    assert!(screen.initialised && screen.users.is_empty());
    assert_eq!(screen.problem.map(|p| p.code), Some("damaged".to_owned()));
    assert!(!screen.emergency.is_empty());
}
