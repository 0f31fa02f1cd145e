//! `meldcode apply`: engine commands as JSON, exactly as the app sends them.

use crate::failure::Failure;
use meldcode_engine::envelope::Envelope;
use meldcode_engine::{CaseId, Command};
use meldcode_store::Store;
use serde::{Deserialize, Serialize};
use std::io::Read;
use std::path::Path;

/// One request: a command for a case. Without `case_id`, an `open_case` opens a new case and
/// any other command goes to the case opened earlier in the same input.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Request {
    #[serde(default)]
    pub case_id: Option<CaseId>,
    pub command: Command,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Input {
    One(Box<Request>),
    Many(Vec<Request>),
}

#[derive(Debug, Serialize)]
pub struct Applied {
    pub case_id: CaseId,
    pub events: Vec<Envelope>,
}

pub fn read_requests(file: Option<&Path>) -> Result<Vec<Request>, Failure> {
    let mut text = String::new();
    match file {
        Some(p) if p != Path::new("-") => {
            text = std::fs::read_to_string(p)
                .map_err(|e| Failure::input(format!("cannot read {}: {e}", p.display())))?;
        }
        _ => {
            std::io::stdin()
                .read_to_string(&mut text)
                .map_err(|e| Failure::input(format!("cannot read stdin: {e}")))?;
        }
    }
    // Parse strictly first, for an error that names the line and the field.
    match serde_json::from_str::<Input>(&text) {
        Ok(Input::One(r)) => Ok(vec![*r]),
        Ok(Input::Many(rs)) => Ok(rs),
        Err(_) => {
            let detail = serde_json::from_str::<Request>(&text)
                .err()
                .or_else(|| serde_json::from_str::<Vec<Request>>(&text).err())
                .map(|e| e.to_string())
                .unwrap_or_default();
            Err(Failure::input(format!(
                "not a valid request (expected {{\"case_id\": …, \"command\": {{\"type\": …}}}} or an array of them): {detail}"
            )))
        }
    }
}

/// Applies the requests in order, each durable on its own; stops at the first refusal and says
/// which one it was. What was applied before it stays.
pub fn apply(
    store: &mut Store,
    requests: Vec<Request>,
) -> Result<Vec<Applied>, (Vec<Applied>, usize, Failure)> {
    let mut done = Vec::new();
    let mut last_opened: Option<CaseId> = None;
    for (i, r) in requests.into_iter().enumerate() {
        let case_id = match (r.case_id, &r.command) {
            (Some(id), _) => id,
            (None, Command::OpenCase { .. }) => Store::new_case_id(),
            (None, _) => match last_opened {
                Some(id) => id,
                None => {
                    return Err((
                        done,
                        i,
                        Failure::input(
                            "case_id is missing and no case was opened before it".into(),
                        ),
                    ))
                }
            },
        };
        match store.record(case_id, &r.command) {
            Ok(events) => {
                if matches!(r.command, Command::OpenCase { .. }) {
                    last_opened = Some(case_id);
                }
                done.push(Applied { case_id, events });
            }
            Err(e) => return Err((done, i, e.into())),
        }
    }
    Ok(done)
}
