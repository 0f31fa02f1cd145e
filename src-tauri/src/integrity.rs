//! The full check of the record after each unlock, off the UI's path: every hash of every chain
//! on a second connection. The unlock itself only compared the chain heads, so that a teacher at
//! the gate is not kept waiting by a large dossier.

use crate::shell::Shell;
use meldcode_store::store::BackgroundCheck;
use tauri::{AppHandle, Emitter, Manager, Runtime};

pub fn check_in_background<R: Runtime>(app: AppHandle<R>, check: BackgroundCheck) {
    std::thread::spawn(move || match check.run() {
        Ok(None) => {}
        Ok(Some(alarm)) => {
            // The alarm is in the vault already; the open session shows it at once.
            app.state::<Shell>().note_alarm(alarm);
            let _ = app.emit("integrity", ());
        }
        Err(e) => eprintln!("Meldcode: the full check could not run ({})", e.code()),
    });
}
