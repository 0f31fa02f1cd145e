//! The evaluation figures for the director and the coordinator: on screen, and saved as CSV
//! where the user picks in the system's save dialog. The UI never hands the core a path: the
//! dialog runs here, so the webview cannot make the app write anywhere it likes.

use crate::shell::Shell;
use chrono::NaiveDate;
use meldcode_engine::figures::Figures;
use meldcode_store::store::figures::figures_csv;
use meldcode_store::{ErrorBody, StoreError};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

type Reply<T> = Result<T, ErrorBody>;

#[tauri::command(async, rename_all = "snake_case")]
pub fn evaluation_figures(
    shell: State<'_, Shell>,
    from: NaiveDate,
    to: NaiveDate,
) -> Reply<Figures> {
    shell.with_store(|s| Ok(s.evaluation_figures(from, to)?))
}

/// Where the CSV was saved, or `None` when the user closed the dialog without choosing.
#[tauri::command(async, rename_all = "snake_case")]
pub fn save_figures_csv(
    app: AppHandle,
    shell: State<'_, Shell>,
    from: NaiveDate,
    to: NaiveDate,
) -> Reply<Option<String>> {
    // The figures are made before the dialog opens, so that the store is not held while the
    // user looks for a folder.
    let text = shell.with_store(|s| Ok(figures_csv(&s.evaluation_figures(from, to)?)?))?;
    let Some(chosen) = app
        .dialog()
        .file()
        .set_title("Cijfers opslaan")
        .add_filter("CSV", &["csv"])
        .set_file_name(format!("meldcode-cijfers-{from}-{to}.csv"))
        .blocking_save_file()
    else {
        return Ok(None);
    };
    let path = chosen.into_path().map_err(|_| {
        ErrorBody::from(StoreError::Invalid {
            message: "Op deze plek kan de app geen bestand opslaan.".into(),
        })
    })?;
    std::fs::write(&path, text).map_err(|e| ErrorBody::from(StoreError::Io(e)))?;
    Ok(Some(path.display().to_string()))
}
