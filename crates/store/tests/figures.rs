//! The evaluation figures through the store: counted over the cases the user may see, small
//! counts hidden, for the coordinator and the director only, and as CSV.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use chrono::{Duration, Utc};
use common::*;
use meldcode_engine::figures::{Count, FigureCode};
use meldcode_engine::records::CaseOutcome;
use meldcode_engine::{testkit, Role};
use meldcode_store::store::figures::figures_csv;
use meldcode_store::{Proof, Store, StoreError};

#[test]
fn figures_count_the_cases_and_hide_what_is_small() {
    let mut f = fresh();
    for i in 0..6 {
        let case = case_with_signal(&mut f.store);
        if i < 5 {
            f.store
                .record(case, &testkit::close(CaseOutcome::Unfounded))
                .unwrap();
        }
    }
    let today = Utc::now().date_naive();
    let figures = f.store.evaluation_figures(today, today).unwrap();
    let count = |code| {
        figures
            .cases
            .iter()
            .chain(&figures.outcomes)
            .find(|fig| fig.code == code)
            .unwrap()
            .count
    };
    assert_eq!(count(FigureCode::Opened), Count::Exact { n: 6 });
    assert_eq!(count(FigureCode::Closed), Count::Exact { n: 5 });
    assert_eq!(count(FigureCode::Unfounded), Count::Exact { n: 5 });
    assert_eq!(count(FigureCode::HelpInPlace), Count::FewerThanFive);
    // One open case waits for its consultation, which is not due yet: nothing is overdue.
    assert_eq!(figures.overdue_now, Count::FewerThanFive);

    let csv = figures_csv(&figures).unwrap();
    assert!(csv.starts_with("Cijfer;Aantal dossiers;Mediaan in dagen\n"));
    assert!(csv.contains(&format!("Periode;{today} t/m {today};\n")));
    assert!(csv.contains("Dossiers geopend;6;\n"));
    assert!(csv.contains("Zorgen ongegrond;5;\n"));
    assert!(csv.contains("Meldingen bij Veilig Thuis;< 5;\n"));
    assert!(!csv.contains("Sanne"), "no pupil's name in the figures");

    let before = today - Duration::days(30);
    let earlier = f.store.evaluation_figures(before, before).unwrap();
    assert_eq!(earlier.cases[0].count, Count::FewerThanFive);
}

#[test]
fn figures_are_for_the_coordinator_and_the_director_and_a_period_that_ends_after_it_starts() {
    let f = fresh();
    let data = f.data();
    let recovery_key = f.recovery_key.clone();
    let mut coordinator = f.store;
    let today = Utc::now().date_naive();
    let err = coordinator
        .evaluation_figures(today, today - Duration::days(1))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert!(err.message().contains("einddatum"));
    let teacher = coordinator
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    let director = coordinator
        .add_user(
            Proof::RecoveryKey(&recovery_key),
            "Fatima el Amrani",
            Role::Director,
            "815027",
        )
        .unwrap();
    coordinator.lock();
    let store = Store::unlock(&data, teacher.id, "730461").unwrap();
    assert!(matches!(
        store.evaluation_figures(today, today),
        Err(StoreError::NotAllowed { .. })
    ));
    store.lock();
    let store = Store::unlock(&data, director.id, "815027").unwrap();
    assert!(store.evaluation_figures(today, today).is_ok());
}
