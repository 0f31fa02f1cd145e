//! The dossier as printed, read back with poppler's `pdftotext` (scripts/setup.sh installs it):
//! every record in order, the child's words, the signatures, the footer's head; in the
//! inspection copy the masked parts gone and marked.

use meldcode_engine::inzage::mask_points;
use meldcode_engine::people::User;
use meldcode_engine::records::*;
use meldcode_engine::testkit::*;
use meldcode_engine::{Actor, Command, EventPayload};
use meldcode_pdf::dossier::{dossier, DossierInput, Head};
use std::process::Command as Process;

fn user(actor: Actor, name: &str) -> User {
    User {
        id: actor.user_id,
        full_name: name.into(),
        role: actor.role,
    }
}

fn people() -> Vec<User> {
    vec![
        user(TEACHER, "Joris Bakker"),
        user(COORDINATOR, "Fatima El Amrani"),
        user(DIRECTOR, "Peter Visser"),
    ]
}

/// A case through all five steps, with a correction of the neighbour's signal.
fn whole_case() -> Kit {
    let mut kit = Kit::opened();
    kit.ok(TEACHER, signal_own());
    let told = kit.ok(TEACHER, signal_from_other())[0].id;
    kit.ok(TEACHER, consultation_internal());
    kit.ok(COORDINATOR, advice());
    kit.ok(TEACHER, child_conversation());
    kit.ok(TEACHER, conversation());
    kit.ok(
        TEACHER,
        Command::CorrectRecord(CorrectionInput {
            corrects: told,
            reason: "Relatie verkeerd genoteerd".into(),
            corrected_text: "Verteld door de overblijfmoeder, niet de buurvrouw.".into(),
        }),
    );
    kit.ok(COORDINATOR, assessment_2019(Answer::Yes, None, None));
    kit.ok(COORDINATOR, decision(true, false));
    kit.ok(COORDINATOR, discussion());
    kit.ok(COORDINATOR, report());
    kit
}

pub fn pdftotext(pdf: &[u8], name: &str) -> String {
    let dir = std::env::temp_dir().join(format!("meldcode-pdf-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("dossier.pdf");
    std::fs::write(&file, pdf).expect("write pdf");
    let out = Process::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: bash scripts/setup.sh");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8(out.stdout).expect("utf-8 text")
}

fn make(kit: &Kit, copy: ExportCopy, masks: &[meldcode_engine::inzage::MaskPoint]) -> Vec<u8> {
    let head = Head {
        hash: "3fa9".repeat(16),
        records: kit.events.len(),
    };
    let people = people();
    let doc = dossier(&DossierInput {
        school: "CBS Het Mozaïek",
        events: &kit.events,
        people: &people,
        head: &head,
        copy,
        recipient: ExportRecipient::VeiligThuis,
        recipient_note: None,
        masks,
        made_at: kit.now,
        made_by: &people[1],
    });
    meldcode_pdf::to_pdf(&doc).expect("pdf")
}

/// Collapses the layout's line breaks and columns, so a phrase is found wherever it wraps.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn full_dossier_holds_every_record_in_order_with_words_signatures_and_head() {
    let kit = whole_case();
    let pdf = make(&kit, ExportCopy::Full, &[]);
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdftotext(&pdf, "full");
    let flat = flat(&text);
    // Every record's title, in log order.
    let mut from = 0;
    for e in kit
        .events
        .iter()
        .filter(|e| !matches!(e.payload, EventPayload::RecordCorrected(_)))
    {
        let title =
            meldcode_pdf::labels::tr(&format!("event.{}", e.payload.kind())).expect("label");
        let at = flat[from..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} missing or out of order"));
        from += at + title.len();
    }
    assert!(
        flat.contains("“Ik ben gevallen, zegt mama.”"),
        "the child's words"
    );
    assert!(flat.contains("Ik wil niet naar huis."));
    assert!(flat.contains("Sanne de Vries"));
    assert!(flat.contains("Joris Bakker (leerkracht)"));
    // The correction comes right after the signal it corrects, before the next record.
    let told = flat.find("Ik wil niet naar huis.").expect("told");
    let fix = flat.find("niet de buurvrouw").expect("correction");
    let consult = flat.find("Collegiale consultatie").expect("consultation");
    assert!(told < fix && fix < consult);
    // Both signers, whose drawings are paths, not text: their names sit under the drawing.
    assert!(flat.contains("Marieke de Vries (ouder)"));
    // The footer on every page carries the head's short code.
    let pages = text.matches('\u{c}').count().max(1);
    assert!(
        text.matches("3FA9-3FA9-3FA9").count() >= pages,
        "footer on every page"
    );
    assert_eq!(
        Head::read_from(&pdf),
        Some(Head {
            hash: "3fa9".repeat(16),
            records: kit.events.len()
        })
    );
}

#[test]
fn inzage_copy_masks_what_was_chosen_and_marks_it() {
    let kit = whole_case();
    let points = mask_points(&kit.events);
    assert!(!points.is_empty());
    let full = flat(&pdftotext(&make(&kit, ExportCopy::Full, &[]), "full2"));
    let inzage = flat(&pdftotext(
        &make(&kit, ExportCopy::Inzage, &points),
        "inzage",
    ));
    for secret in [
        "Petra Bakker",
        "niet de buurvrouw",
        "Anouk Jansen, intern begeleider",
        "gericht te observeren",
    ] {
        assert!(full.contains(secret), "{secret} is in the full dossier");
        assert!(!inzage.contains(secret), "{secret} is masked");
    }
    assert!(inzage.contains("[weggelaten: informatie over een ander]"));
    assert!(inzage.contains("[weggelaten: werkaantekening van de school]"));
    assert!(inzage.contains("Inzagekopie"));
    // What the parent may see stays: the child's words and the teacher's own observation.
    assert!(inzage.contains("Ik wil niet naar huis."));
}
