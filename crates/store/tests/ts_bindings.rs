//! The app's TypeScript types are generated from these Rust types and committed in
//! `ui/src/lib/bindings/`. This test fails when they are stale; `MELDCODE_BLESS=1 cargo test
//! --test ts_bindings` regenerates them.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

use meldcode_engine::access::Audience;
use meldcode_engine::catalogue::SignalCatalogue;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::figures::Figures;
use meldcode_engine::inzage::MaskPoint;
use meldcode_engine::next_actions::NextAction;
use meldcode_engine::people::{Actor, User};
use meldcode_engine::profile::{ProfileError, SchoolProfile};
use meldcode_engine::reminders::DueSteps;
use meldcode_engine::state::TimelineEntry;
use meldcode_engine::summary::CaseSummary;
use meldcode_engine::{Command, Violation};
use meldcode_store::projection::CaseListItem;
use meldcode_store::store::export::{ExportDone, ExportRequest};
use meldcode_store::sync::{DeviceView, EnrollmentCodeView, SyncStatus};
use meldcode_store::{
    CaptureRequest, CaptureResult, CaseView, ErrorBody, FirstRunProfile, LockScreen, SchoolLog,
    Session, Setup,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use ts_rs::{Config, TS};

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings")
}

/// Every IPC type and, through them, everything they contain.
fn export_all(dir: &Path) {
    // u64 fields (device sequence, clock) are JSON numbers well below 2^53.
    let cfg = Config::new().with_large_int("number").with_out_dir(dir);
    Command::export_all(&cfg).unwrap();
    Envelope::export_all(&cfg).unwrap();
    CaseSummary::export_all(&cfg).unwrap();
    NextAction::export_all(&cfg).unwrap();
    TimelineEntry::export_all(&cfg).unwrap();
    Violation::export_all(&cfg).unwrap();
    Audience::export_all(&cfg).unwrap();
    Actor::export_all(&cfg).unwrap();
    User::export_all(&cfg).unwrap();
    SignalCatalogue::export_all(&cfg).unwrap();
    SchoolProfile::export_all(&cfg).unwrap();
    ProfileError::export_all(&cfg).unwrap();
    // The store's side of the boundary: what the app's commands take and return.
    LockScreen::export_all(&cfg).unwrap();
    Session::export_all(&cfg).unwrap();
    SchoolLog::export_all(&cfg).unwrap();
    Figures::export_all(&cfg).unwrap();
    ExportRequest::export_all(&cfg).unwrap();
    ExportDone::export_all(&cfg).unwrap();
    MaskPoint::export_all(&cfg).unwrap();
    DueSteps::export_all(&cfg).unwrap();
    Setup::export_all(&cfg).unwrap();
    FirstRunProfile::export_all(&cfg).unwrap();
    CaptureRequest::export_all(&cfg).unwrap();
    CaptureResult::export_all(&cfg).unwrap();
    CaseListItem::export_all(&cfg).unwrap();
    CaseView::export_all(&cfg).unwrap();
    Command::export_all(&cfg).unwrap();
    ErrorBody::export_all(&cfg).unwrap();
    SyncStatus::export_all(&cfg).unwrap();
    DeviceView::export_all(&cfg).unwrap();
    EnrollmentCodeView::export_all(&cfg).unwrap();
}

fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return out;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ts") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            out.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    out
}

#[test]
fn committed_typescript_bindings_are_up_to_date() {
    let fresh = tempfile_dir();
    export_all(&fresh);
    let generated = read_tree(&fresh);
    assert!(generated.contains_key("Command.ts") && generated.contains_key("EventPayload.ts"));
    let committed_path = committed_dir();
    if std::env::var_os("MELDCODE_BLESS").is_some() {
        let _ = std::fs::remove_dir_all(&committed_path);
        std::fs::create_dir_all(&committed_path).unwrap();
        for (name, text) in &generated {
            std::fs::write(committed_path.join(name), text).unwrap();
        }
    }
    let committed = read_tree(&committed_path);
    let stale: Vec<&String> = generated
        .keys()
        .chain(committed.keys())
        .filter(|k| generated.get(*k) != committed.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "ui/src/lib/bindings is stale ({stale:?}); regenerate with MELDCODE_BLESS=1 cargo test --test ts_bindings"
    );
    let _ = std::fs::remove_dir_all(&fresh);
}

fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("meldcode-ts-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The UI's mock backend serves the real catalogue and profile, in the form the app's commands
/// return them; this keeps its copy equal to what Rust produces.
#[test]
fn mock_backend_data_is_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/backend/mock-data");
    let files = [
        (
            "catalogue.json",
            serde_json::to_string_pretty(&SignalCatalogue::default_catalogue()).unwrap(),
        ),
        (
            "profile.json",
            serde_json::to_string_pretty(&SchoolProfile::mozaiek()).unwrap(),
        ),
    ];
    if std::env::var_os("MELDCODE_BLESS").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for (name, text) in &files {
            std::fs::write(dir.join(name), format!("{text}\n")).unwrap();
        }
    }
    for (name, text) in &files {
        let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert_eq!(
            committed.trim_end(),
            text.as_str(),
            "ui/src/lib/backend/mock-data/{name} is stale; regenerate with MELDCODE_BLESS=1 cargo test --test ts_bindings"
        );
    }
}
