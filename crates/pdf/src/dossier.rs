//! A case's dossier as a printed document: every record in log order with author, role and
//! time; the child's words set apart; the body map and signatures as drawn; corrections right
//! beside what they correct. The parent's inspection copy is the same dossier with the chosen
//! parts masked, each marked where it was.

use crate::dutch;
use crate::labels::{tr, tr_with};
use crate::model::{Block, BodyMark, Doc, Style};
use chrono::{DateTime, NaiveDate, Utc};
use meldcode_engine::envelope::Envelope;
use meldcode_engine::inzage::{MaskPoint, MaskReason};
use meldcode_engine::people::User;
use meldcode_engine::records::{ExportCopy, ExportRecipient};
use meldcode_engine::{EventId, EventPayload, UserId};
use serde_json::{Map, Value};
use std::collections::BTreeSet;

/// The dossier head a copy covers: SHA-256 (hex) over the case's record hashes in log order,
/// and how many records that is. The store computes it; `meldcode verify --against` checks it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Head {
    pub hash: String,
    pub records: usize,
}

impl Head {
    /// The first twelve hex digits in groups of four, to read aloud or type in.
    pub fn short_code(&self) -> String {
        let upper = self.hash.to_uppercase();
        let digits: Vec<&str> = [0..4, 4..8, 8..12]
            .into_iter()
            .filter_map(|r| upper.get(r))
            .collect();
        digits.join("-")
    }

    /// Written into the PDF's document information, where `verify --against` reads it back.
    pub fn keywords(&self) -> Vec<String> {
        vec![
            format!("{KEY_HEAD}{}", self.hash),
            format!("{KEY_RECORDS}{}", self.records),
        ]
    }

    /// The head a PDF made by this crate carries, read from its bytes.
    pub fn read_from(pdf: &[u8]) -> Option<Head> {
        let text = String::from_utf8_lossy(pdf);
        let after = |key: &str| {
            text.find(key).map(|i| &text[i + key.len()..]).map(|rest| {
                rest.chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect::<String>()
            })
        };
        let hash = after(KEY_HEAD)?;
        let records = after(KEY_RECORDS)?.parse().ok()?;
        (hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(Head { hash, records })
    }
}

const KEY_HEAD: &str = "meldcode-dossier-head:";
const KEY_RECORDS: &str = "meldcode-dossier-records:";

/// Everything a dossier copy is made from.
pub struct DossierInput<'a> {
    pub school: &'a str,
    /// The case's records in log order; the copy covers all of them.
    pub events: &'a [Envelope],
    /// Everyone who recorded, also users removed since.
    pub people: &'a [User],
    pub head: &'a Head,
    pub copy: ExportCopy,
    pub recipient: ExportRecipient,
    pub recipient_note: Option<&'a str>,
    /// The parts to mask (inspection copy only; ignored for the full dossier).
    pub masks: &'a [MaskPoint],
    pub made_at: DateTime<Utc>,
    pub made_by: &'a User,
}

// Fields that are not shown as text: ids, and what is drawn instead.
const SKIP: [&str; 5] = ["type", "id", "trigger", "drawing", "staff_user"];

struct Writer<'a> {
    input: &'a DossierInput<'a>,
    masked: BTreeSet<(EventId, &'a str)>,
    masks_of: BTreeSet<(EventId, &'a str, MaskReason)>,
    blocks: Vec<Block>,
}

fn field_block(label: String, text: String, style: Style, indent: bool) -> Block {
    Block::Field {
        label,
        text,
        style,
        indent,
    }
}

impl<'a> Writer<'a> {
    fn name_of(&self, user: UserId) -> String {
        self.input.people.iter().find(|u| u.id == user).map_or_else(
            || tr("case.unknown_author").unwrap_or("?").to_string(),
            |u| u.full_name.clone(),
        )
    }

    fn value_text(&self, field: &str, value: &Value) -> String {
        match value {
            Value::Bool(b) => tr(if *b { "value.yes" } else { "value.no" })
                .unwrap_or_default()
                .to_string(),
            Value::String(s) => {
                if let Ok(at) = DateTime::parse_from_rfc3339(s) {
                    return dutch::moment(at.with_timezone(&Utc));
                }
                if let Ok(day) = s.parse::<NaiveDate>() {
                    return dutch::date(day);
                }
                tr(&format!("value.{field}.{s}"))
                    .or_else(|| tr(&format!("value.{s}")))
                    .map_or_else(|| s.clone(), str::to_string)
            }
            Value::Number(n) => n.to_string(),
            Value::Array(items) => items
                .iter()
                .map(|v| self.value_text(field, v))
                .collect::<Vec<_>>()
                .join(", "),
            Value::Null | Value::Object(_) => String::new(),
        }
    }

    fn label(&self, kind: &str, field: &str, top: bool) -> String {
        let own = format!("record_field.{kind}.{field}");
        let key = if top && tr(&own).is_some() {
            own
        } else {
            format!("field.{field}")
        };
        tr(&key).map_or_else(|| field.replace('_', " "), str::to_string)
    }

    fn masked_text(reason: MaskReason) -> String {
        match reason {
            MaskReason::WorkNote => "[weggelaten: werkaantekening van de school]".into(),
            MaskReason::ThirdParty => "[weggelaten: informatie over een ander]".into(),
        }
    }

    /// One record's fields, walked the way the case screen's `describe.ts` walks them.
    fn walk(
        &mut self,
        e: &Envelope,
        kind: &str,
        obj: &Map<String, Value>,
        top: bool,
        indent: bool,
    ) {
        for (field, value) in obj {
            let field = field.as_str();
            if self.input.copy == ExportCopy::Inzage {
                let reason = self
                    .masks_of
                    .iter()
                    .find(|(id, f, _)| *id == e.id && *f == field)
                    .map(|m| m.2);
                if let Some(reason) = reason.filter(|_| self.masked.contains(&(e.id, field))) {
                    let label = self.label(kind, field, top);
                    self.blocks.push(field_block(
                        label,
                        Self::masked_text(reason),
                        Style::Masked,
                        indent,
                    ));
                    continue;
                }
            }
            if field == "basis" {
                let gaps: Vec<String> = value
                    .get("gaps")
                    .and_then(Value::as_array)
                    .map(|g| {
                        g.iter()
                            .filter_map(Value::as_str)
                            .map(|g| tr(&format!("value.gap.{g}")).unwrap_or(g).to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                if !gaps.is_empty() {
                    let label = tr("field.gaps").unwrap_or("gaps").to_string();
                    self.blocks
                        .push(field_block(label, gaps.join(", "), Style::Plain, indent));
                }
                continue;
            }
            if SKIP.contains(&field) || value.is_null() || value.as_str() == Some("") {
                continue;
            }
            let label = self.label(kind, field, top);
            match (field, value) {
                ("child_words", Value::String(words)) => {
                    self.blocks.push(field_block(
                        label,
                        format!("“{words}”"),
                        Style::Words,
                        indent,
                    ));
                }
                ("signatures", Value::Array(signatures)) => {
                    for s in signatures {
                        let name = s.get("signer_name").and_then(Value::as_str).unwrap_or("");
                        let role = s.get("signer_role").and_then(Value::as_str).unwrap_or("");
                        let who = if role.is_empty() {
                            name.to_string()
                        } else {
                            format!("{name} ({role})")
                        };
                        match s.get("drawing").and_then(Value::as_str) {
                            Some(path) => self.blocks.push(Block::Signature {
                                who,
                                path: path.to_string(),
                            }),
                            None => {
                                let why = s
                                    .get("not_signed_reason")
                                    .and_then(Value::as_str)
                                    .unwrap_or("");
                                let label = tr("field.not_signed").unwrap_or("").to_string();
                                self.blocks.push(field_block(
                                    label,
                                    format!("{who}: {why}"),
                                    Style::Plain,
                                    indent,
                                ));
                            }
                        }
                    }
                }
                ("source", Value::Object(src)) => {
                    let text = match src.get("kind").and_then(Value::as_str) {
                        Some("own") => tr("value.source.own").unwrap_or("own").to_string(),
                        _ => format!(
                            "{} ({})",
                            src.get("who").and_then(Value::as_str).unwrap_or(""),
                            src.get("relation").and_then(Value::as_str).unwrap_or("")
                        ),
                    };
                    self.blocks
                        .push(field_block(label, text, Style::Plain, indent));
                }
                ("body_marks", Value::Array(marks)) => {
                    let mut drawn = Vec::new();
                    for (i, m) in marks.iter().enumerate() {
                        let side = m.get("side").and_then(Value::as_str).unwrap_or("front");
                        let seen = m.get("seen").and_then(Value::as_str).unwrap_or("");
                        let side_text = self.value_text("side", &Value::String(side.into()));
                        let label = tr("field.body_mark").unwrap_or("").to_string();
                        self.blocks.push(field_block(
                            label,
                            format!("{}. {side_text}: {seen}", i + 1),
                            Style::Plain,
                            indent,
                        ));
                        let permille = |k: &str| {
                            m.get(k)
                                .and_then(Value::as_u64)
                                .and_then(|v| u16::try_from(v).ok())
                                .unwrap_or(0)
                        };
                        drawn.push(BodyMark {
                            back: side == "back",
                            x_permille: permille("x_permille"),
                            y_permille: permille("y_permille"),
                            number: i + 1,
                        });
                    }
                    if !drawn.is_empty() {
                        self.blocks.push(Block::BodyMap {
                            marks: drawn,
                            front: "Voorkant".into(),
                            back: "Achterkant".into(),
                        });
                    }
                }
                ("corrects", Value::String(id)) => {
                    let original = self.input.events.iter().find(|o| o.id.to_string() == *id);
                    let text = original.map_or_else(
                        || id.clone(),
                        |o| {
                            let kind = o.payload.kind();
                            tr_with(
                                "case.corrects",
                                &[
                                    ("kind", tr(&format!("event.{kind}")).unwrap_or(kind)),
                                    ("date", &dutch::moment(o.recorded_at)),
                                ],
                            )
                        },
                    );
                    self.blocks
                        .push(field_block(label, text, Style::Plain, indent));
                }
                ("user", Value::String(id)) => {
                    let name = id.parse().map_or_else(|_| id.clone(), |u| self.name_of(u));
                    self.blocks
                        .push(field_block(label, name, Style::Plain, indent));
                }
                ("plan", Value::String(id)) => {
                    let plan = self.input.events.iter().find(|p| p.id.to_string() == *id);
                    let text = plan.map_or_else(
                        || id.clone(),
                        |p| {
                            format!(
                                "{} ({})",
                                tr("event.help_plan_started").unwrap_or(""),
                                dutch::moment(p.occurred_at)
                            )
                        },
                    );
                    self.blocks
                        .push(field_block(label, text, Style::Plain, indent));
                }
                ("instrument", Value::Object(i)) => {
                    let text = format!(
                        "{}: {}",
                        i.get("name").and_then(Value::as_str).unwrap_or(""),
                        i.get("outcome").and_then(Value::as_str).unwrap_or("")
                    );
                    self.blocks
                        .push(field_block(label, text, Style::Plain, indent));
                }
                ("objections", Value::Array(objections)) => {
                    for o in objections {
                        let text = format!(
                            "{} → {}",
                            o.get("objection").and_then(Value::as_str).unwrap_or(""),
                            o.get("how_met").and_then(Value::as_str).unwrap_or("")
                        );
                        let label = tr("field.objection").unwrap_or("").to_string();
                        self.blocks
                            .push(field_block(label, text, Style::Plain, indent));
                    }
                }
                (_, Value::Object(inner)) => self.walk(e, kind, inner, false, indent),
                (_, Value::Array(items)) if items.iter().any(Value::is_object) => {
                    for item in items.iter().filter_map(Value::as_object) {
                        self.walk(e, kind, item, false, indent);
                    }
                }
                (_, Value::Array(items)) if items.is_empty() => {}
                _ => {
                    let text = self.value_text(field, value);
                    self.blocks
                        .push(field_block(label, text, Style::Plain, indent));
                }
            }
        }
    }

    fn record(&mut self, e: &Envelope, indent: bool) {
        let kind = e.payload.kind();
        let title = tr(&format!("event.{kind}")).unwrap_or(kind).to_string();
        let who = format!(
            "{} ({})",
            self.name_of(e.author),
            dutch::role(e.author_role)
        );
        let mut byline = format!("Vastgelegd door {who} op {}", dutch::moment(e.recorded_at));
        if e.occurred_at != e.recorded_at {
            byline = format!("Gebeurd op {} · {byline}", dutch::moment(e.occurred_at));
        }
        if indent {
            let corrected = tr_with(
                "case.corrected_on",
                &[("date", &dutch::moment(e.recorded_at)), ("who", &who)],
            );
            self.blocks
                .push(field_block(title, corrected, Style::Plain, true));
        } else {
            self.blocks.push(Block::Heading(title));
            self.blocks.push(Block::Byline(byline));
        }
        if let EventPayload::CaseOpened { pupil, parents } = &e.payload {
            self.blocks.push(field_block(
                "Leerling".into(),
                pupil_text(pupil),
                Style::Plain,
                indent,
            ));
            for p in parents {
                let text = format!("{} ({})", p.full_name, p.relation);
                self.blocks.push(field_block(
                    "Ouder of verzorger".into(),
                    text,
                    Style::Plain,
                    indent,
                ));
            }
        } else if let Ok(Value::Object(payload)) = serde_json::to_value(&e.payload) {
            self.walk(e, kind, &payload, true, indent);
        }
    }
}

fn pupil_text(p: &meldcode_engine::people::Pupil) -> String {
    match p.date_of_birth {
        Some(born) => format!(
            "{}, {}, geboren {}",
            p.full_name,
            p.group,
            dutch::date(born)
        ),
        None => format!("{}, {}", p.full_name, p.group),
    }
}

fn recipient_text(r: ExportRecipient) -> &'static str {
    match r {
        ExportRecipient::VeiligThuis => "Veilig Thuis",
        ExportRecipient::Inspectie => "Inspectie van het Onderwijs",
        ExportRecipient::Transfer => "Overdracht",
        ExportRecipient::Parent => "Ouder(s) of verzorger(s)",
        ExportRecipient::Other => "Anders",
    }
}

/// The dossier as a document, ready for `to_pdf`.
pub fn dossier(input: &DossierInput<'_>) -> Doc {
    let mut w = Writer {
        input,
        masked: input
            .masks
            .iter()
            .map(|m| (m.event, m.field.as_str()))
            .collect(),
        masks_of: input
            .masks
            .iter()
            .map(|m| (m.event, m.field.as_str(), m.reason))
            .collect(),
        blocks: Vec::new(),
    };
    let pupil = input.events.iter().find_map(|e| match &e.payload {
        EventPayload::CaseOpened { pupil, .. } => Some(pupil.clone()),
        _ => None,
    });
    let pupil_name = pupil.as_ref().map_or("", |p| p.full_name.as_str());
    let title = match input.copy {
        ExportCopy::Full => format!("Dossier meldcode: {pupil_name}"),
        ExportCopy::Inzage => format!("Inzagekopie dossier meldcode: {pupil_name}"),
    };
    w.blocks.push(Block::Title(title.clone()));
    let mut facts = vec![("School", input.school.to_string())];
    if let Some(p) = &pupil {
        facts.push(("Leerling", pupil_text(p)));
    }
    let mut recipient = recipient_text(input.recipient).to_string();
    if let Some(note) = input.recipient_note.filter(|n| !n.trim().is_empty()) {
        recipient = format!("{recipient}: {note}");
    }
    facts.push(("Kopie voor", recipient));
    facts.push((
        "Gemaakt",
        format!(
            "{} door {} ({})",
            dutch::moment(input.made_at),
            input.made_by.full_name,
            dutch::role(input.made_by.role)
        ),
    ));
    facts.push(("Aantal records", input.head.records.to_string()));
    facts.push(("Controlecode", input.head.short_code()));
    facts.push(("Dossierkop (SHA-256)", input.head.hash.clone()));
    for (label, text) in facts {
        w.blocks
            .push(field_block(label.into(), text, Style::Plain, false));
    }
    if input.copy == ExportCopy::Inzage {
        let masked = input.masks.len();
        w.blocks.push(Block::Paragraph(format!(
            "Dit is de kopie voor inzage door de ouder(s) (AVG). Persoonlijke werkaantekeningen van de school en informatie over anderen (wie wat vertelde, met wie werd overlegd) zijn weggelaten: {masked} {}, elk gemarkeerd met \u{201c}weggelaten\u{201d} op de plek waar het stond.",
            if masked == 1 { "deel" } else { "delen" }
        )));
    }
    w.blocks.push(Block::Rule);
    for e in input.events {
        if matches!(e.payload, EventPayload::RecordCorrected(_)) {
            continue;
        }
        w.record(e, false);
        let corrections = input.events.iter().filter(
            |c| matches!(&c.payload, EventPayload::RecordCorrected(x) if x.corrects == e.id),
        );
        for c in corrections {
            w.record(c, true);
        }
    }
    Doc {
        title,
        blocks: w.blocks,
        footer: format!(
            "{} · {} · {} records · dossierkop {} · controleer met: meldcode verify --against <dit bestand>",
            input.school,
            match input.copy {
                ExportCopy::Full => "volledig dossier",
                ExportCopy::Inzage => "inzagekopie",
            },
            input.head.records,
            input.head.short_code()
        ),
        keywords: input.head.keywords(),
    }
}
