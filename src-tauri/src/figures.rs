//! The evaluation figures for the director and the coordinator: on screen, and saved as CSV or
//! PDF where the user picks in the system's save dialog (`save.rs`).

use crate::save::{self, SaveAs};
use crate::shell::Shell;
use chrono::NaiveDate;
use meldcode_engine::figures::Figures;
use meldcode_store::store::figures::figures_csv;
use meldcode_store::ErrorBody;
use tauri::{AppHandle, State};

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
    saved(&app, "csv", "CSV", from, to, text.as_bytes())
}

/// Where the PDF was saved, or `None` when the user closed the dialog without choosing.
#[tauri::command(async, rename_all = "snake_case")]
pub fn save_figures_pdf(
    app: AppHandle,
    shell: State<'_, Shell>,
    from: NaiveDate,
    to: NaiveDate,
) -> Reply<Option<String>> {
    let pdf = shell.with_store(|s| Ok(s.figures_pdf(&s.evaluation_figures(from, to)?)?))?;
    saved(&app, "pdf", "PDF", from, to, &pdf)
}

fn saved(
    app: &AppHandle,
    extension: &str,
    kind: &str,
    from: NaiveDate,
    to: NaiveDate,
    bytes: &[u8],
) -> Reply<Option<String>> {
    let Some(path) = save::choose(
        app,
        SaveAs {
            title: "Cijfers opslaan",
            kind,
            extension,
            file_name: format!("meldcode-cijfers-{from}-{to}.{extension}"),
        },
    )?
    else {
        return Ok(None);
    };
    save::write(&path, bytes)?;
    Ok(Some(path.display().to_string()))
}
