//! Reminders as OS notifications: once a day, when a case asks for a step today or is late, a
//! count without a name ("1 dossier vraagt vandaag een stap."), since a notification shows on a
//! locked screen where a parent or a child may read it. The due dates are read from the store
//! while it is open and kept in memory only (dates, nothing else), so that the reminder of a new
//! day also comes while the app is locked; a closed app gives none.

use crate::shell::{guard, Shell};
use chrono::{NaiveDate, Utc};
use meldcode_engine::reminders::{reminder_due, DueSteps};
use meldcode_store::settings::Language;
use meldcode_store::ErrorBody;
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime};
use tauri_plugin_notification::NotificationExt;

/// How often the day's reminder is looked at: a new day is noticed within this time.
const TICK: Duration = Duration::from_secs(10 * 60);

#[derive(Default)]
pub struct Reminders {
    /// The earliest due date of each open case the last user could see.
    dues: Mutex<Vec<NaiveDate>>,
    /// The day the last reminder was given.
    given_on: Mutex<Option<NaiveDate>>,
}

pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        loop {
            let handle = app.clone();
            // Reading the store and talking to the notification service may block.
            let _ = tauri::async_runtime::spawn_blocking(move || tick(&handle)).await;
            tokio::time::sleep(TICK).await;
        }
    });
}

/// Right after an unlock or a record: the dates are read again and a reminder due today is given.
pub fn soon<R: Runtime>(app: &AppHandle<R>) {
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || tick(&handle));
}

fn tick<R: Runtime>(app: &AppHandle<R>) {
    let shell = app.state::<Shell>();
    let reminders = app.state::<Reminders>();
    let today = Utc::now().date_naive();
    match shell.with_open_store(|s| s.due_dates(today)) {
        Some(Ok(dues)) => *guard(&reminders.dues) = dues,
        Some(Err(e)) => eprintln!("Meldcode: due dates not read ({})", e.code()),
        None => {}
    }
    let settings = shell.settings();
    if !settings.reminders {
        return;
    }
    let mut given_on = guard(&reminders.given_on);
    if !reminder_due(*given_on, today) {
        return;
    }
    let steps = DueSteps::count(guard(&reminders.dues).iter().copied(), today);
    let text = match settings.language {
        Language::Nl => steps.text_nl(),
        Language::En => steps.text_en(),
    };
    let Some(text) = text else {
        return;
    };
    // Once a day even when it could not be shown: a desktop without a notification service
    // would fail the same way every ten minutes, and the digest and the case list still say it.
    *given_on = Some(today);
    if let Err(e) = app
        .notification()
        .builder()
        .title("Meldcode")
        .body(text)
        .show()
    {
        eprintln!("Meldcode: reminder not shown ({e})");
    }
}

/// The coordinator's digest for today, asked for by the home screen after she unlocked: `None`
/// for other roles and on a quiet day.
#[tauri::command(async, rename_all = "snake_case")]
pub fn daily_digest(shell: tauri::State<'_, Shell>) -> Result<Option<DueSteps>, ErrorBody> {
    let today = Utc::now().date_naive();
    shell.with_store(|s| Ok(s.daily_digest(today)?))
}
