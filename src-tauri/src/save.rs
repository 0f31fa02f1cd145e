//! The system's save dialog, run by the core: the UI never hands the core a path, so the
//! webview cannot make the app write anywhere it likes.

use meldcode_store::{ErrorBody, StoreError};
use std::path::PathBuf;
use tauri::AppHandle;
use tauri_plugin_dialog::DialogExt;

/// What the dialog asks for: its title, one file type and a suggested name.
pub struct SaveAs<'a> {
    pub title: &'a str,
    pub kind: &'a str,
    pub extension: &'a str,
    pub file_name: String,
}

/// Where the user chose to save, or `None` when she closed the dialog without choosing.
pub fn choose(app: &AppHandle, what: SaveAs<'_>) -> Result<Option<PathBuf>, ErrorBody> {
    let Some(chosen) = app
        .dialog()
        .file()
        .set_title(what.title)
        .add_filter(what.kind, &[what.extension])
        .set_file_name(what.file_name)
        .blocking_save_file()
    else {
        return Ok(None);
    };
    chosen.into_path().map(Some).map_err(|_| {
        ErrorBody::from(StoreError::Invalid {
            message: "Op deze plek kan de app geen bestand opslaan.".into(),
        })
    })
}

pub fn write(path: &std::path::Path, bytes: &[u8]) -> Result<(), ErrorBody> {
    std::fs::write(path, bytes).map_err(|e| ErrorBody::from(StoreError::Io(e)))
}
