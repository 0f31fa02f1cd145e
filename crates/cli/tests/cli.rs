//! The `meldcode` binary end to end, against a real Secret Service (scripts/with-keyring.sh).
#![allow(clippy::unwrap_used)] // test helpers: a failure should stop the test loudly

use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const PIN: &str = "482913";

fn meldcode(dir: &Path, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meldcode"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("MELDCODE_PIN", PIN)
        .env("MELDCODE_USER", "Anouk Jansen")
        .env_remove("MELDCODE_NEW_PIN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

/// The text of a PDF, its whitespace collapsed (poppler-utils, installed by scripts/setup.sh).
fn pdftotext(file: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: bash scripts/setup.sh");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn ok_json(out: Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

const OPEN_AND_SIGNAL: &str = r#"[
  {"command": {"type": "open_case",
               "pupil": {"id": "00000000-0000-0000-0000-000000000001", "full_name": "Sanne de Vries",
                         "group": "groep 5", "date_of_birth": "2017-09-14"},
               "parents": [{"full_name": "Marieke de Vries", "relation": "moeder"}]}},
  {"command": {"type": "record_signal", "observed_at": "2026-03-02T08:15:00Z", "context": "drop_off",
               "facts": "Blauwe plek op de linker bovenarm.", "child_words": "Ik ben gevallen.",
               "source": {"kind": "own"}}}
]"#;

fn init(dir: &Path) -> Value {
    ok_json(meldcode(
        dir,
        &["--json", "init", "--name", "Anouk Jansen"],
        None,
        &[],
    ))
}

#[test]
fn init_prints_the_recovery_key_once_and_refuses_a_second_init() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    let first = init(&dir);
    let key = first["recovery_key"].as_str().unwrap();
    assert_eq!(key.split('-').count(), 13);
    let again = meldcode(&dir, &["init", "--name", "Anouk Jansen"], None, &[]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already_initialised"));
    // Nothing the store wrote holds the recovery key.
    for f in std::fs::read_dir(&dir).unwrap() {
        let bytes = std::fs::read(f.unwrap().path()).unwrap();
        assert!(!bytes.windows(key.len()).any(|w| w == key.as_bytes()));
    }
}

#[test]
fn apply_then_list_show_export_verify_and_backup() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    let applied = ok_json(meldcode(
        &dir,
        &["--json", "apply", "-"],
        Some(OPEN_AND_SIGNAL),
        &[],
    ));
    let case = applied[0]["case_id"].as_str().unwrap().to_owned();
    assert_eq!(applied[1]["case_id"], applied[0]["case_id"]);

    let list = ok_json(meldcode(
        &dir,
        &["--json", "case", "list", "--search", "groep 5"],
        None,
        &[],
    ));
    assert_eq!(list[0]["pupil_name"], "Sanne de Vries");
    assert_eq!(list[0]["step"], "signals");

    let show = meldcode(&dir, &["case", "show", &case], None, &[]);
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("signal_recorded") && text.contains("Anouk Jansen"),
        "{text}"
    );

    let export = ok_json(meldcode(&dir, &["export", &case], None, &[]));
    let kinds: Vec<&str> = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["payload"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["case_opened", "signal_recorded"]);

    let verified = ok_json(meldcode(&dir, &["--json", "verify"], None, &[]));
    assert_eq!(verified["events"], 2);

    // A printed copy: on record in the case, and checked against the store afterwards.
    let pdf = tmp.path().join("dossier.pdf");
    let pdf_arg = pdf.to_str().unwrap();
    let no_recipient = meldcode(&dir, &["export", &case, "--pdf", pdf_arg], None, &[]);
    assert_eq!(no_recipient.status.code(), Some(2));
    assert!(!pdf.exists());
    let done = ok_json(meldcode(
        &dir,
        &[
            "--json",
            "export",
            &case,
            "--pdf",
            pdf_arg,
            "--for",
            "veilig-thuis",
        ],
        None,
        &[],
    ));
    assert_eq!(done["records"], 2);
    let text = pdftotext(&pdf);
    assert!(text.contains("Dossier meldcode: Sanne de Vries"), "{text}");
    assert!(text.contains("“Ik ben gevallen.”"), "{text}");
    assert!(text.contains(done["short_code"].as_str().unwrap()));
    let check = ok_json(meldcode(
        &dir,
        &["--json", "verify", "--against", pdf_arg],
        None,
        &[],
    ));
    assert_eq!(
        (check["matches"].as_bool(), check["records"].as_u64()),
        (Some(true), Some(2))
    );
    let code = done["short_code"].as_str().unwrap();
    ok_json(meldcode(
        &dir,
        &["--json", "verify", "--code", code],
        None,
        &[],
    ));
    let wrong = meldcode(&dir, &["verify", "--code", "0000-0000-0000"], None, &[]);
    assert_eq!(wrong.status.code(), Some(3));
    let inzage = tmp.path().join("inzage.pdf");
    ok_json(meldcode(
        &dir,
        &[
            "--json",
            "export",
            &case,
            "--pdf",
            inzage.to_str().unwrap(),
            "--inzage",
        ],
        None,
        &[],
    ));
    let export = ok_json(meldcode(&dir, &["export", &case], None, &[]));
    let copies = export["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["payload"]["type"] == "dossier_exported")
        .count();
    assert_eq!(copies, 2);
    let verified = ok_json(meldcode(&dir, &["--json", "verify"], None, &[]));
    assert_eq!(verified["events"], 4);

    let backup = tmp.path().join("backup");
    ok_json(meldcode(
        &dir,
        &["--json", "backup", backup.to_str().unwrap()],
        None,
        &[],
    ));
    let copy = ok_json(meldcode(&backup, &["--json", "verify"], None, &[]));
    assert_eq!(copy["events"], 4);
}

#[test]
fn a_refused_command_reports_the_rule_and_keeps_what_was_applied() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    let with_report = OPEN_AND_SIGNAL.trim_end().trim_end_matches(']').to_owned()
        + r#", {"command": {"type": "make_report", "reported_at": "2026-03-02T09:00:00Z",
               "facts": "x", "school_will_do": "y"}}]"#;
    let out = meldcode(&dir, &["--json", "apply"], Some(&with_report), &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("rule_violation") && text.contains("request 3"),
        "{text}"
    );
    let verified = ok_json(meldcode(&dir, &["--json", "verify"], None, &[]));
    assert_eq!(verified["events"], 2);
}

#[test]
fn bad_json_and_wrong_pin_give_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    let out = meldcode(
        &dir,
        &["apply"],
        Some("{\"command\": {\"type\": \"nonsense\"}}"),
        &[],
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_input"));

    let out = meldcode(&dir, &["case", "list"], None, &[("MELDCODE_PIN", "000000")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("wrong_pin"));

    let out = meldcode(
        &dir,
        &["case", "list"],
        None,
        &[("MELDCODE_USER", "Niemand Bekend")],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn users_are_added_by_the_coordinator_and_see_only_their_cases() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    ok_json(meldcode(
        &dir,
        &["--json", "apply"],
        Some(OPEN_AND_SIGNAL),
        &[],
    ));
    let teacher = ok_json(meldcode(
        &dir,
        &[
            "--json",
            "user",
            "add",
            "--name",
            "Jeroen Smit",
            "--role",
            "teacher",
        ],
        None,
        &[("MELDCODE_NEW_PIN", "730461")],
    ));
    assert_eq!(teacher["role"], "teacher");
    let as_teacher = [("MELDCODE_USER", "Jeroen Smit"), ("MELDCODE_PIN", "730461")];
    let list = ok_json(meldcode(
        &dir,
        &["--json", "case", "list"],
        None,
        &as_teacher,
    ));
    assert_eq!(list.as_array().unwrap().len(), 0);
    let out = meldcode(
        &dir,
        &["user", "add", "--name", "Petra Bakker", "--role", "teacher"],
        None,
        &[as_teacher[0], as_teacher[1], ("MELDCODE_NEW_PIN", "610428")],
    );
    assert!(!out.status.success());
    let refused = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        refused.contains("rule_violation") && refused.contains("beheert gebruikers"),
        "{refused}"
    );
    let users = ok_json(meldcode(&dir, &["--json", "user", "list"], None, &[]));
    assert_eq!(users.as_array().unwrap().len(), 2);
}

#[test]
fn an_unreachable_keyring_is_said_plainly_and_nothing_opens() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    let out = meldcode(
        &dir,
        &["case", "list"],
        None,
        &[(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/meldcode-test",
        )],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("keyring_unavailable") && err.contains("sleutelbos"),
        "{err}"
    );
}

#[test]
fn init_uses_the_provisioning_file_and_refuses_a_malformed_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("provisioning.json");
    let mut profile: Value = serde_json::from_str(include_str!(
        "../../engine/data/profiles/cbs-het-mozaiek.json"
    ))
    .unwrap();
    profile["school_name"] = "OBS De Wilg".into();
    profile["contacts"][2]["id"] = "crisisdienst-de-wilg".into();
    let provisioning = file.to_str().unwrap();

    std::fs::write(
        &file,
        serde_json::json!({ "version": 2, "profile": profile }).to_string(),
    )
    .unwrap();
    let dir = tmp.path().join("refused");
    let out = meldcode(
        &dir,
        &["init", "--name", "Anouk Jansen"],
        None,
        &[("MELDCODE_PROVISIONING", provisioning)],
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("invalid_provisioning") && err.contains("\"version\" moet 1"),
        "{err}"
    );
    assert!(!dir.join("meldcode.db").exists(), "nothing half-configured");

    std::fs::write(
        &file,
        serde_json::json!({ "version": 1, "profile": profile }).to_string(),
    )
    .unwrap();
    let dir = tmp.path().join("provisioned");
    ok_json(meldcode(
        &dir,
        &["--json", "init", "--name", "Anouk Jansen"],
        None,
        &[("MELDCODE_PROVISIONING", provisioning)],
    ));
    let bar = std::fs::read_to_string(dir.join("emergency.json")).unwrap();
    assert!(bar.contains("crisisdienst-de-wilg"), "{bar}");
}

#[test]
fn figures_come_as_json_or_as_a_csv_file_with_small_counts_hidden() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("data");
    init(&dir);
    ok_json(meldcode(
        &dir,
        &["--json", "apply", "-"],
        Some(OPEN_AND_SIGNAL),
        &[],
    ));
    let today = chrono::Utc::now().date_naive().to_string();
    let figures = ok_json(meldcode(
        &dir,
        &["--json", "figures", "--from", "2026-01-01", "--to", &today],
        None,
        &[],
    ));
    assert_eq!(figures["cases"][0]["code"], "opened");
    assert_eq!(figures["cases"][0]["count"]["kind"], "fewer_than_five");

    // The same figures saved as a file: --csv or --pdf.
    let save = |flag: &str, name: &str| {
        let file = tmp.path().join(name);
        let args = ["--json", "figures", "--from", "2026-01-01", "--to", &today];
        let path = file.to_str().unwrap();
        ok_json(meldcode(
            &dir,
            &[&args[..], &[flag, path]].concat(),
            None,
            &[],
        ));
        file
    };
    let text = std::fs::read_to_string(save("--csv", "cijfers.csv")).unwrap();
    assert!(text.contains("Dossiers geopend;< 5;"), "{text}");
    assert!(!text.contains("Sanne"));
    let pdf = save("--pdf", "cijfers.pdf");
    let text = pdftotext(&pdf);
    assert!(text.contains("Evaluatie van de meldcode"), "{text}");
    assert!(
        text.replace("< ", "<").contains("Dossiers geopend <5"),
        "{text}"
    );
    assert!(!text.contains("Sanne"));

    let backwards = meldcode(
        &dir,
        &["figures", "--from", &today, "--to", "2026-01-01"],
        None,
        &[],
    );
    assert!(!backwards.status.success());
    assert!(String::from_utf8_lossy(&backwards.stderr).contains("invalid"));
    let not_a_date = meldcode(
        &dir,
        &["figures", "--from", "2026-13-01", "--to", &today],
        None,
        &[],
    );
    assert!(!not_a_date.status.success());
}
