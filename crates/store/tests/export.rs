//! Printed copies through the store: the full dossier and the inspection copy read back with
//! poppler (`pdftotext`, `pdftoppm`; scripts/setup.sh installs them), each copy on record in
//! the case's log, and a copy checked against the store afterwards.
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

mod common;

use common::*;
use meldcode_engine::records::*;
use meldcode_engine::{testkit, CaseId, Command, EventPayload, Role};
use meldcode_store::store::export::{case_head, Against, ExportRequest};
use meldcode_store::{Proof, Store};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

fn case_to_report(store: &mut Store) -> CaseId {
    let case = case_with_signal(store);
    for command in [
        testkit::signal_from_other(),
        testkit::consultation_internal(),
        testkit::child_conversation(),
        testkit::conversation(),
    ] {
        store.record(case, &command).unwrap();
    }
    case
}

fn request(copy: ExportCopy, recipient: ExportRecipient) -> ExportRequest {
    ExportRequest {
        copy,
        recipient,
        recipient_note: None,
        masks: Vec::new(),
    }
}

fn export(store: &mut Store, case: CaseId, request: &ExportRequest, file: &Path) {
    store
        .export_pdf(case, request, |bytes| std::fs::write(file, bytes))
        .unwrap();
}

fn run(tool: &str, args: &[&str]) -> Vec<u8> {
    let out = Process::new(tool).args(args).output().unwrap_or_else(|_| {
        panic!("{tool} (poppler-utils) must be installed: bash scripts/setup.sh")
    });
    assert!(out.status.success(), "{tool} failed");
    out.stdout
}

fn text_of(file: &Path) -> String {
    let text = run(
        "pdftotext",
        &["-layout", "-enc", "UTF-8", file.to_str().unwrap(), "-"],
    );
    String::from_utf8(text)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The pages as images beside the UI's screenshots, for review (ui/test-results/screenshots).
fn keep_page_images(file: &Path, name: &str) {
    let shots = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/test-results/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let prefix = shots.join(format!("pdf-{name}"));
    run(
        "pdftoppm",
        &[
            "-r",
            "50",
            "-png",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(shots.join(format!("pdf-{name}-1.png")).exists());
}

#[test]
fn full_dossier_is_printed_on_record_and_checks_against_the_store() {
    let f = fresh();
    let mut store = f.store;
    let case = case_to_report(&mut store);
    let head = case_head(&store, case).unwrap();
    let file = f.dir.path().join("dossier.pdf");
    export(
        &mut store,
        case,
        &request(ExportCopy::Full, ExportRecipient::VeiligThuis),
        &file,
    );
    let text = text_of(&file);
    keep_page_images(&file, "dossier");

    // The records in order, the child's words, both signers, the pupil.
    let mut at = 0;
    for title in [
        "Dossier geopend",
        "Signaal",
        "Signaal",
        "Collegiale consultatie",
        "Gesprek met het kind",
        "Gesprek met de ouder",
    ] {
        at += text[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} in order"))
            + title.len();
    }
    assert!(text.contains("“Ik ben gevallen, zegt mama.”"));
    assert!(text.contains("“Thuis is het soms eng.”"));
    assert!(text.contains("Marieke de Vries (ouder)") && text.contains("Jeroen Smit (leerkracht)"));
    assert!(
        text.contains("Petra Bakker"),
        "the full dossier names its sources"
    );
    // The footer and the header carry the store's head.
    assert_eq!(head.records, 6);
    assert!(text.contains(&format!("dossierkop {}", head.short_code())));
    assert!(text.contains(&format!("{} records", head.records)));
    assert!(text.contains(&head.hash[..16]));

    // The copy is on record: who, which copy, for whom, covering what.
    let view = store.case_view(case).unwrap();
    let last = view.events.last().unwrap();
    let EventPayload::DossierExported(x) = &last.payload else {
        panic!("the export is the case's last record");
    };
    assert_eq!(
        (x.copy, x.recipient),
        (ExportCopy::Full, ExportRecipient::VeiligThuis)
    );
    assert_eq!(
        (x.records, x.head.as_str(), x.masked),
        (6, head.hash.as_str(), 0)
    );
    assert_eq!(last.author, store.user().id);

    // The copy checks against the store, also after more was recorded.
    let pdf = std::fs::read(&file).unwrap();
    let check = store.check_copy(Against::Pdf(&pdf)).unwrap();
    assert!(check.matches);
    assert_eq!(
        (check.case_id, check.records, check.later_records),
        (Some(case), 6, 0)
    );
    store.record(case, &testkit::advice()).unwrap();
    let check = store.check_copy(Against::Pdf(&pdf)).unwrap();
    assert!(check.matches);
    assert_eq!(check.later_records, 1);
    let by_code = store.check_copy(Against::Code(&head.short_code())).unwrap();
    assert!(by_code.matches);

    // A copy whose head was changed is not one the store made.
    let forged = String::from_utf8_lossy(&pdf)
        .replace(&head.hash, &"0".repeat(64))
        .into_bytes();
    assert!(!store.check_copy(Against::Pdf(&forged)).unwrap().matches);
    assert!(store.check_copy(Against::Pdf(b"%PDF-1.7 nothing")).is_err());
}

#[test]
fn inzage_copy_leaves_out_the_chosen_parts_and_marks_them() {
    let f = fresh();
    let mut store = f.store;
    let case = case_to_report(&mut store);
    let points = store.inzage_mask_points(case).unwrap();
    assert!(points.iter().any(|p| p.field == "source"));
    assert!(points.iter().any(|p| p.field == "summary"));
    let file = f.dir.path().join("inzage.pdf");
    let mut inzage = request(ExportCopy::Inzage, ExportRecipient::Parent);
    // The coordinator keeps the consultation's summary in, and masks the rest.
    inzage.masks = points
        .iter()
        .filter(|p| p.field != "summary")
        .cloned()
        .collect();
    export(&mut store, case, &inzage, &file);
    let text = text_of(&file);
    keep_page_images(&file, "inzage");
    assert!(!text.contains("Petra Bakker"));
    assert!(!text.contains("Anouk Jansen, intern begeleider"));
    assert!(text.contains("[weggelaten: informatie over een ander]"));
    assert!(
        text.contains("gericht te observeren"),
        "what she kept in stays"
    );
    assert!(text.contains("Inzagekopie"));
    let view = store.case_view(case).unwrap();
    let EventPayload::DossierExported(x) = &view.events.last().unwrap().payload else {
        panic!("on record");
    };
    assert_eq!(x.masked as usize, inzage.masks.len());

    // A mask that is not one of the case's parts is refused, and nothing is written.
    let mut stray = inzage.clone();
    stray.masks[0].field = "facts".into();
    let before = store.case_view(case).unwrap().events.len();
    let err = store
        .export_pdf(case, &stray, |_| panic!("nothing is written"))
        .unwrap_err();
    assert_eq!(err.code(), "invalid");
    assert_eq!(store.case_view(case).unwrap().events.len(), before);
}

#[test]
fn only_the_lead_or_director_makes_a_copy_and_a_failed_write_is_not_on_record() {
    let f = fresh();
    let data = f.data();
    let mut store = f.store;
    let case = case_to_report(&mut store);
    let full = request(ExportCopy::Full, ExportRecipient::Inspectie);
    let before = store.case_view(case).unwrap().events.len();
    let err = store
        .export_pdf(case, &full, |_| Err(std::io::Error::other("disk full")))
        .unwrap_err();
    assert_eq!(err.code(), "io");
    assert_eq!(store.case_view(case).unwrap().events.len(), before);
    // The app cannot put a copy on record without making one.
    let claim = Command::RecordExport(ExportInput {
        copy: ExportCopy::Full,
        recipient: ExportRecipient::Inspectie,
        recipient_note: None,
        records: 1,
        head: "ab".repeat(32),
        masked: 0,
    });
    assert_eq!(
        store.record(case, &claim).unwrap_err().code(),
        "not_allowed"
    );

    let teacher = store
        .add_user(Proof::Pin(PIN), "Jeroen Smit", Role::Teacher, "730461")
        .unwrap();
    store
        .record(case, &Command::InvolveColleague { user: teacher.id })
        .unwrap();
    store.lock();
    let mut teacher = Store::unlock(&data, teacher.id, "730461").unwrap();
    let err = teacher.export_pdf(case, &full, |_| Ok(())).unwrap_err();
    assert_eq!(err.code(), "not_allowed");
    assert_eq!(
        teacher.inzage_mask_points(case).unwrap_err().code(),
        "not_allowed"
    );
}
