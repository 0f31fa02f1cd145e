//! Output: readable text for a person, or JSON with `--json`.

use crate::apply::Applied;
use meldcode_engine::people::User;
use meldcode_store::log::VerifyReport;
use meldcode_store::projection::CaseListItem;
use meldcode_store::store::export::{CopyCheck, ExportDone};
use meldcode_store::{CaseView, ErrorBody};
use serde::Serialize;
use std::path::Path;

#[derive(Clone, Copy)]
pub struct Out {
    pub json: bool,
}

fn print_json<T: Serialize + ?Sized>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => eprintln!("error: cannot write JSON: {e}"),
    }
}

impl Out {
    pub fn failure(&self, body: &ErrorBody) {
        if self.json {
            print_json(&serde_json::json!({ "error": body }));
        } else {
            eprintln!("error [{}]: {}", body.code, body.message);
        }
    }

    pub fn done(&self, what: &str) {
        if self.json {
            print_json(&serde_json::json!({ "ok": what }));
        } else {
            println!("{what}");
        }
    }

    pub fn json_value<T: Serialize>(&self, value: &T) {
        print_json(value);
    }

    pub fn initialised(&self, dir: &Path, coordinator: &User, recovery_key: &str) {
        if self.json {
            print_json(&serde_json::json!({
                "data_dir": dir,
                "coordinator": coordinator,
                "recovery_key": recovery_key,
            }));
            return;
        }
        println!("Meldcode is set up in {}.", dir.display());
        println!(
            "Coordinator: {} ({})",
            coordinator.full_name, coordinator.id
        );
        println!();
        println!("RECOVERY KEY (shown only now):");
        println!();
        println!("    {recovery_key}");
        println!();
        println!(
            "Write it down on paper and keep it in the school's safe. It is the only way into"
        );
        println!("the dossiers if this device's keyring is lost or every PIN is forgotten.");
    }

    pub fn user_added(&self, user: &User) {
        if self.json {
            print_json(user);
        } else {
            println!(
                "added {} ({}, {})",
                user.full_name,
                user.role.label_nl(),
                user.id
            );
        }
    }

    pub fn users(&self, users: &[User]) {
        if self.json {
            print_json(users);
            return;
        }
        for u in users {
            println!("{}  {:<18} {}", u.id, u.role.label_nl(), u.full_name);
        }
    }

    pub fn cases(&self, cases: &[CaseListItem]) {
        if self.json {
            print_json(cases);
            return;
        }
        if cases.is_empty() {
            println!("no cases");
        }
        for c in cases {
            let s = &c.summary;
            let due = s
                .next_due
                .map(|d| d.to_string())
                .unwrap_or_else(|| "-".into());
            let state = match s.outcome {
                Some(o) => format!("closed ({o:?})"),
                None => format!("step {}", s.step.number()),
            };
            let late = if c.overdue { " OVERDUE" } else { "" };
            println!(
                "{}  {:<24} {:<10} {:<24} due {due}{late}",
                s.case_id, s.pupil_name, s.group, state
            );
            if let Some(a) = &s.next_action {
                println!("    next [{}]: {}", a.rule, a.text);
            }
        }
    }

    pub fn case(&self, view: &CaseView, users: &[User]) {
        if self.json {
            print_json(view);
            return;
        }
        let name = |id| {
            users
                .iter()
                .find(|u| u.id == id)
                .map(|u| u.full_name.clone())
                .unwrap_or_else(|| id.to_string())
        };
        let s = &view.summary;
        println!("{} — {} ({})", s.case_id, s.pupil_name, s.group);
        println!("step {}: {}", s.step.number(), s.step_title);
        println!();
        for (entry, event) in view.timeline.iter().zip(&view.events) {
            let corrected = if entry.corrected_by.is_empty() {
                ""
            } else {
                "  [corrected later]"
            };
            println!(
                "{}  {:<30} {} ({}){corrected}",
                entry.recorded_at.format("%Y-%m-%d %H:%M"),
                event.payload.kind(),
                name(entry.author),
                entry.author_role.label_nl(),
            );
        }
        if !view.next_actions.is_empty() {
            println!();
            for a in &view.next_actions {
                let due = a.due.map(|d| format!(" (due {d})")).unwrap_or_default();
                println!("next [{}]{due}: {}", a.rule, a.text);
            }
        }
    }

    pub fn applied(&self, done: &[Applied]) {
        if self.json {
            print_json(done);
            return;
        }
        for a in done {
            let kinds: Vec<&str> = a.events.iter().map(|e| e.payload.kind()).collect();
            println!("{}  {}", a.case_id, kinds.join(", "));
        }
    }

    pub fn verified(&self, report: &VerifyReport) {
        if self.json {
            print_json(report);
        } else {
            println!(
                "ok: {} events in {} cases from {} device(s); every chain and page verified",
                report.events, report.cases, report.devices
            );
        }
    }

    pub fn exported(&self, file: &Path, done: &ExportDone) {
        if self.json {
            print_json(done);
        } else {
            println!(
                "dossier written to {}: {} records, control code {}{}; the copy is on record",
                file.display(),
                done.records,
                done.short_code,
                if done.masked > 0 {
                    format!(", {} part(s) masked", done.masked)
                } else {
                    String::new()
                }
            );
        }
    }

    pub fn copy_checked(&self, check: &CopyCheck) {
        if self.json {
            print_json(check);
        } else if check.matches {
            println!(
                "copy matches: {} records as made on {}; {} record(s) added to the case since",
                check.records,
                check.made_at.map_or_else(
                    || "?".into(),
                    |t| t.format("%Y-%m-%d %H:%M UTC").to_string()
                ),
                check.later_records
            );
        } else {
            println!("copy does NOT match the store");
        }
    }
}
