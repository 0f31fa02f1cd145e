//! The provisioning file: what a school's IT person puts on every tablet with an imaging or MDM
//! tool, so that nobody types the social map at each first run. It lives at a fixed system path
//! (`/etc/meldcode/provisioning.json`), or where `MELDCODE_PROVISIONING` points. It holds the
//! school profile (the profile file format, checked by the engine); the school server's address
//! and an enrollment code will join it once sync exists.
//!
//! A file that is there but not in order is refused with every problem listed, and set-up does
//! not go on with the built-in profile instead: a tablet is never half-configured.

use crate::error::{Result, StoreError};
use meldcode_engine::profile::SchoolProfile;
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const SYSTEM_PATH: &str = "/etc/meldcode/provisioning.json";
pub const ENV: &str = "MELDCODE_PROVISIONING";
const VERSION: u64 = 1;

/// The profile a first run starts from: the provisioned one, or the built-in one.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FirstRunProfile {
    pub profile: SchoolProfile,
    /// The provisioning file it came from; none for the built-in profile.
    pub provisioned_from: Option<String>,
}

/// Where to look, and whether the file must be there (an explicit `MELDCODE_PROVISIONING`).
fn location() -> (PathBuf, bool) {
    match std::env::var_os(ENV).filter(|v| !v.is_empty()) {
        Some(path) => (PathBuf::from(path), true),
        None => (PathBuf::from(SYSTEM_PATH), false),
    }
}

/// The profile for a first run on this machine.
pub fn first_run_profile() -> Result<FirstRunProfile> {
    let (path, explicit) = location();
    match read(&path, explicit)? {
        Some(profile) => Ok(FirstRunProfile {
            profile,
            provisioned_from: Some(path.display().to_string()),
        }),
        None => Ok(FirstRunProfile {
            profile: SchoolProfile::mozaiek(),
            provisioned_from: None,
        }),
    }
}

/// Reads and checks the file at `path`; `None` when it is absent and nobody asked for it.
pub fn read(path: &Path, must_exist: bool) -> Result<Option<SchoolProfile>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(None),
        Err(e) => {
            return Err(refused(
                path,
                &[format!(
                    "Het bestand kan niet worden gelezen ({}).",
                    e.kind()
                )],
            ))
        }
    };
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        refused(
            path,
            &[format!(
                "Het bestand is geen geldige JSON (regel {}, kolom {}).",
                e.line(),
                e.column()
            )],
        )
    })?;
    let Some(fields) = value.as_object() else {
        return Err(refused(
            path,
            &["Het bestand moet één JSON-object zijn, met \"version\" en \"profile\".".into()],
        ));
    };
    let mut problems = Vec::new();
    for key in fields.keys() {
        if !matches!(key.as_str(), "version" | "profile") {
            problems.push(format!(
                "Onbekend veld '{key}'. Is het verkeerd gespeld? Alleen \"version\" en \"profile\" horen erin."
            ));
        }
    }
    if fields.get("version").and_then(Value::as_u64) != Some(VERSION) {
        problems.push(format!(
            "\"version\" moet {VERSION} zijn (de versie van dit bestandsformaat)."
        ));
    }
    let profile = match fields.get("profile") {
        None => {
            problems.push("\"profile\" ontbreekt: het schoolprofiel met de sociale kaart.".into());
            None
        }
        Some(profile) => match SchoolProfile::from_json(&profile.to_string()) {
            Ok(profile) => Some(profile),
            Err(e) => {
                problems.extend(e.problems.iter().map(|p| format!("profile: {p}")));
                None
            }
        },
    };
    match profile {
        Some(profile) if problems.is_empty() => Ok(Some(profile)),
        _ => Err(refused(path, &problems)),
    }
}

fn refused(path: &Path, problems: &[String]) -> StoreError {
    StoreError::Provisioning {
        message: format!(
            "Het inrichtingsbestand {} is niet in orde, dus Meldcode wordt niet ingericht. Laat de ICT-beheerder het verbeteren:\n{}",
            path.display(),
            problems.join("\n")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(value: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("provisioning.json");
        std::fs::write(&path, value).expect("written");
        (dir, path)
    }

    fn mozaiek_file() -> Value {
        let profile: Value = serde_json::from_str(include_str!(
            "../../engine/data/profiles/cbs-het-mozaiek.json"
        ))
        .expect("profile json");
        json!({ "version": 1, "profile": profile })
    }

    #[test]
    fn a_provisioned_profile_is_read_and_checked() {
        let mut file = mozaiek_file();
        file["profile"]["school_name"] = "OBS De Wilg".into();
        let (_dir, path) = write(&file.to_string());
        let profile = read(&path, true).expect("valid").expect("present");
        assert_eq!(profile.school_name, "OBS De Wilg");
    }

    #[test]
    fn no_file_at_the_system_path_means_the_built_in_profile() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(
            read(&dir.path().join("absent.json"), false).expect("ok"),
            None
        );
        let err = read(&dir.path().join("absent.json"), true).expect_err("asked for");
        assert_eq!(err.code(), "invalid_provisioning");
    }

    #[test]
    fn a_malformed_file_lists_every_problem_in_dutch() {
        let mut file = mozaiek_file();
        file["version"] = 2.into();
        file["sever"] = "https://school".into();
        file["profile"]["school_name"] = " ".into();
        let (_dir, path) = write(&file.to_string());
        let err = read(&path, true).expect_err("refused");
        let message = err.message();
        assert_eq!(err.code(), "invalid_provisioning");
        for expected in [
            "\"version\" moet 1",
            "'sever'",
            "De naam van de school ontbreekt",
        ] {
            assert!(message.contains(expected), "{expected} in {message}");
        }
        let (_dir, path) = write("{ \"version\": 1, ");
        assert!(read(&path, true)
            .expect_err("not json")
            .message()
            .contains("geen geldige JSON"));
    }
}
