//! `meldcode`: the command line over the same engine and store as the app.

mod apply;
mod args;
mod failure;
mod print;
mod session;

use args::{CaseCmd, Cli, Cmd, SyncCmd, UserCmd};
use clap::Parser;
use failure::Failure;
use meldcode_engine::profile::SchoolProfile;
use meldcode_engine::records::{ExportCopy, ExportRecipient};
use meldcode_engine::CaseId;
use meldcode_store::store::export::{Against, ExportRequest};
use meldcode_store::{KdfParams, Proof, Store};
use print::Out;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before anything reads a PIN or opens the store. A failure only warns: the IT person must
    // still be able to verify, back up and recover, and a dump needs a crash as well.
    if let Err(e) = meldcode_harden::disable_core_dumps() {
        eprintln!("meldcode: warning: could not disable core dumps ({e}); going on");
    }
    let cli = Cli::parse();
    let out = Out { json: cli.json };
    match run(cli, out) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            out.failure(&f.body);
            ExitCode::from(f.exit_code)
        }
    }
}

fn case_id(text: &str) -> Result<CaseId, Failure> {
    text.trim()
        .parse()
        .map_err(|_| Failure::usage("a case id looks like 0190f3c2-…: see `meldcode case list`"))
}

fn new_pin(prompt: &str) -> Result<zeroize::Zeroizing<String>, Failure> {
    let pin = session::read_pin("MELDCODE_NEW_PIN", prompt)?;
    if std::env::var_os("MELDCODE_NEW_PIN").is_none() {
        let again = session::read_pin("MELDCODE_NEW_PIN", "Repeat the new PIN: ")?;
        if again != pin {
            return Err(Failure::usage("the two PINs differ"));
        }
    }
    Ok(pin)
}

fn run(cli: Cli, out: Out) -> Result<(), Failure> {
    let dir = session::data_dir(cli.data_dir)?;
    let user = cli.user.as_deref();
    match cli.command {
        Cmd::Init { name, profile } => {
            let profile = match profile {
                // As the app's first run: the provisioning file, else the built-in profile.
                None => meldcode_store::provisioning::first_run_profile()?.profile,
                Some(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        Failure::input(format!("cannot read {}: {e}", path.display()))
                    })?;
                    SchoolProfile::from_json(&text).map_err(|e| {
                        Failure::input(format!("the school profile is not valid:\n{e}"))
                    })?
                }
            };
            let pin = session::read_pin("MELDCODE_PIN", "PIN for the coordinator: ")?;
            let init = Store::init(&dir, profile, &name, &pin, KdfParams::DEFAULT)?;
            out.initialised(&dir, init.store.user(), &init.recovery_key);
        }
        Cmd::User {
            with_recovery_key,
            command,
        } => {
            let (mut store, acting_pin) = session::unlock_keeping_pin(&dir, user)?;
            let recovery = if with_recovery_key {
                Some(session::read_pin(
                    "MELDCODE_RECOVERY_KEY",
                    "Recovery key: ",
                )?)
            } else {
                None
            };
            let proof = || match &recovery {
                Some(key) => Proof::RecoveryKey(key),
                None => Proof::Pin(&acting_pin),
            };
            match command {
                UserCmd::Add { name, role } => {
                    let pin = new_pin(&format!("First PIN for {name}: "))?;
                    let added = store.add_user(proof(), &name, role.into(), &pin)?;
                    out.user_added(&added);
                }
                UserCmd::List => out.users(&store.users()?),
                UserCmd::Remove { user } => {
                    let who = session::resolve_user(&dir, Some(&user))?;
                    store.remove_user(proof(), who.id)?;
                    out.done("user removed");
                }
                UserCmd::ResetPin { user } => {
                    let who = session::resolve_user(&dir, Some(&user))?;
                    let pin = new_pin(&format!("New PIN for {}: ", who.display_name))?;
                    store.reset_pin(proof(), who.id, &pin)?;
                    out.done("PIN set");
                }
                UserCmd::Assign { user, device } => {
                    let who = session::resolve_user_in_store(&store, &user)?;
                    store.assign_user(proof(), who, device_id(&device)?)?;
                    store.sync()?;
                    out.done("assigned; the device takes her in at its next round");
                }
                UserCmd::Unassign { user, device } => {
                    let who = session::resolve_user_in_store(&store, &user)?;
                    store.unassign_user(proof(), who, device_id(&device)?)?;
                    store.sync()?;
                    out.done("taken off; the device takes her out at its next round");
                }
                UserCmd::SetRole { user, role } => {
                    let who = session::resolve_user(&dir, Some(&user))?;
                    store.change_role(proof(), who.id, role.into())?;
                    out.done("role changed");
                }
                UserCmd::ChangePin => {
                    let current = session::read_pin("MELDCODE_PIN", "Current PIN: ")?;
                    let pin = new_pin("New PIN: ")?;
                    store.change_pin(&current, &pin)?;
                    out.done("PIN changed");
                }
            }
        }
        Cmd::Case(CaseCmd::List { search }) => {
            let store = session::unlock(&dir, user)?;
            out.cases(&store.list_cases(search.as_deref())?);
        }
        Cmd::Case(CaseCmd::Show { case }) => {
            let store = session::unlock(&dir, user)?;
            out.case(&store.case_view(case_id(&case)?)?, &store.users()?);
        }
        Cmd::Apply { file } => {
            let requests = apply::read_requests(file.as_deref())?;
            let mut store = session::unlock(&dir, user)?;
            match apply::apply(&mut store, requests) {
                Ok(done) => out.applied(&done),
                Err((done, index, failure)) => {
                    out.applied(&done);
                    return Err(Failure {
                        body: meldcode_store::ErrorBody {
                            message: format!(
                                "request {} refused: {}",
                                index + 1,
                                failure.body.message
                            ),
                            code: failure.body.code,
                        },
                        exit_code: failure.exit_code,
                    });
                }
            }
        }
        Cmd::SchoolLog => {
            let store = session::unlock(&dir, user)?;
            out.json_value(&store.school_log()?);
        }
        Cmd::Alarms { acknowledge } => {
            let mut store = session::unlock(&dir, user)?;
            if acknowledge {
                store.acknowledge_alarms()?;
                out.done("alarms acknowledged");
            } else {
                out.json_value(&store.alarms());
            }
        }
        Cmd::Verify { against, code } => {
            let store = session::unlock(&dir, user)?;
            let bytes;
            let copy = match (&against, &code) {
                (Some(file), _) => {
                    bytes = std::fs::read(file).map_err(|e| {
                        Failure::input(format!("cannot read {}: {e}", file.display()))
                    })?;
                    Some(Against::Pdf(&bytes))
                }
                (None, Some(code)) => Some(Against::Code(code)),
                (None, None) => None,
            };
            if copy.is_none() {
                out.verified(&store.verify()?);
            }
            if let Some(copy) = copy {
                let check = store.check_copy(copy)?;
                out.copy_checked(&check);
                if !check.matches {
                    return Err(Failure {
                        body: meldcode_store::ErrorBody {
                            code: "copy_does_not_match".into(),
                            message: "this copy does not match the store: it was not made here, or its records were changed".into(),
                        },
                        exit_code: 3,
                    });
                }
            }
        }
        Cmd::Export {
            case, pdf: None, ..
        } => {
            let store = session::unlock(&dir, user)?;
            out.json_value(&store.export_case(case_id(&case)?)?);
        }
        Cmd::Export {
            case,
            pdf: Some(file),
            inzage,
            recipient,
            note,
        } => {
            let mut store = session::unlock(&dir, user)?;
            let case = case_id(&case)?;
            let recipient = match (recipient, inzage) {
                (Some(r), _) => r.into(),
                (None, true) => ExportRecipient::Parent,
                (None, false) => {
                    return Err(Failure::usage(
                        "say for whom the copy is: --for veilig-thuis, inspectie, transfer, parent or other",
                    ))
                }
            };
            let (copy, masks) = if inzage {
                (ExportCopy::Inzage, store.inzage_mask_points(case)?)
            } else {
                (ExportCopy::Full, Vec::new())
            };
            let request = ExportRequest {
                copy,
                recipient,
                recipient_note: note,
                masks,
            };
            let done = store.export_pdf(case, &request, |bytes| std::fs::write(&file, bytes))?;
            out.exported(&file, &done);
        }
        Cmd::Figures { from, to, csv, pdf } => {
            let store = session::unlock(&dir, user)?;
            let figures = store.evaluation_figures(from, to)?;
            let file = match (csv, pdf) {
                (Some(file), _) => {
                    let text = meldcode_store::store::figures::figures_csv(&figures)?;
                    std::fs::write(&file, text).map_err(meldcode_store::StoreError::Io)?;
                    Some(file)
                }
                (None, Some(file)) => {
                    let bytes = store.figures_pdf(&figures)?;
                    std::fs::write(&file, bytes).map_err(meldcode_store::StoreError::Io)?;
                    Some(file)
                }
                (None, None) => None,
            };
            match file {
                Some(file) => out.done(&format!("figures written to {}", file.display())),
                None => out.json_value(&figures),
            }
        }
        Cmd::Backup { dest } => {
            let store = session::unlock(&dir, user)?;
            store.backup(&dest)?;
            out.done(&format!("backup written to {}", dest.display()));
        }
        Cmd::Recover => {
            let who = session::resolve_user(&dir, user)?;
            let key = session::read_pin("MELDCODE_RECOVERY_KEY", "Recovery key: ")?;
            let pin = new_pin("New PIN: ")?;
            Store::recover(&dir, &key, who.id, &pin)?;
            out.done("recovered; users marked 'needs new PIN' get one from the coordinator (meldcode user reset-pin)");
        }
        Cmd::Release => {
            let key = session::read_pin("MELDCODE_RECOVERY_KEY", "Recovery key: ")?;
            Store::release_with_recovery_key(&dir, &key)?;
            out.done("released; the PINs open this device again");
        }
        Cmd::Enroll { server } => {
            let code = session::read_pin("MELDCODE_ENROLL_CODE", "Enrollment code: ")?;
            if Store::exists(&dir) {
                let mut store = session::unlock(&dir, user)?;
                let report = store.enroll(&server, &code)?;
                out.json_value(&report);
            } else {
                let pin = new_pin("PIN for the user this device is for: ")?;
                match Store::join(&dir, &server, &code, &pin, KdfParams::DEFAULT) {
                    Ok(store) => out.done(&format!(
                        "device enrolled for {}; {} case(s) received",
                        store.user().full_name,
                        store.list_cases(None)?.len()
                    )),
                    Err(meldcode_store::StoreError::JoinedUseOtherPin) => out.done(
                        "device enrolled; unlock it with the PIN you have on your other devices",
                    ),
                    Err(e) => return Err(e.into()),
                }
            }
        }
        Cmd::Sync { watch, command } => {
            let mut store = session::unlock(&dir, user)?;
            match command {
                Some(SyncCmd::Status) => out.json_value(&store.sync_status()?),
                None if watch => loop {
                    match store.sync() {
                        Ok(report) => out.json_value(&report),
                        Err(e) if e.code() == "server_unreachable" => eprintln!("{e}"),
                        Err(e) => return Err(e.into()),
                    }
                    // Woken by the server's stream; a minute at most, so a lost stream costs
                    // one minute, not the day.
                    if store
                        .wait_for_news(std::time::Duration::from_secs(60))
                        .is_err()
                    {
                        std::thread::sleep(std::time::Duration::from_secs(10));
                    }
                },
                None => out.json_value(&store.sync()?),
            }
        }
        Cmd::Devices => {
            let mut store = session::unlock(&dir, user)?;
            out.json_value(&store.devices()?);
        }
        Cmd::EnrollmentCode { for_user } => {
            let mut store = session::unlock(&dir, user)?;
            let who = session::resolve_user_in_store(&store, &for_user)?;
            let code = store.new_enrollment_code(who)?;
            out.json_value(&serde_json::json!({
                "code": code.text.as_str(),
                "expires_at": code.expires_at.to_rfc3339(),
            }));
        }
    }
    Ok(())
}

fn device_id(text: &str) -> Result<meldcode_engine::DeviceId, meldcode_store::StoreError> {
    text.trim()
        .parse()
        .map_err(|_| meldcode_store::StoreError::Invalid {
            message: "not a device id (see `meldcode devices`)".into(),
        })
}
