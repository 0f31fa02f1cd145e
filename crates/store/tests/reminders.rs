//! Reminders through the store: the due steps of the cases the user may see, counted against a
//! day the test passes in, and the digest for the coordinator alone.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use chrono::Duration;
use common::*;
use meldcode_engine::reminders::DueSteps;
use meldcode_engine::Role;
use meldcode_store::{Proof, Store};

#[test]
fn reminders_count_the_steps_due_in_the_cases_the_user_may_see() {
    let f = fresh();
    let data = f.data();
    let mut coordinator = f.store;
    case_with_signal(&mut coordinator);
    case_with_signal(&mut coordinator);
    let dues = coordinator
        .due_dates(chrono::Utc::now().date_naive())
        .unwrap();
    assert_eq!(dues.len(), 2);
    let due = dues[0];
    assert_eq!(
        coordinator.due_steps(due).unwrap(),
        DueSteps {
            due_today: 2,
            overdue: 0
        }
    );
    let later = due + Duration::days(1);
    assert_eq!(coordinator.due_steps(later).unwrap().overdue, 2);
    let digest = coordinator.daily_digest(later).unwrap().unwrap();
    assert_eq!(
        digest.text_nl().unwrap(),
        "2 dossiers zijn een stap te laat."
    );
    assert_eq!(
        coordinator.daily_digest(due - Duration::days(30)).unwrap(),
        None
    );

    // A teacher is reminded of her own cases only, and gets no digest.
    let teacher = coordinator
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    coordinator.lock();
    let store = Store::unlock(&data, teacher.id, "730461").unwrap();
    assert!(store.due_steps(later).unwrap().is_empty());
    assert_eq!(store.daily_digest(later).unwrap(), None);
}
