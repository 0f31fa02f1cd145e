//! Printed copies of a dossier (coordinator, director): the full dossier or the parent's
//! inspection copy, saved where the user picks (`save.rs`). The store puts each copy on record
//! once it is written.

use crate::save::{self, SaveAs};
use crate::shell::Shell;
use meldcode_engine::inzage::MaskPoint;
use meldcode_engine::records::ExportCopy;
use meldcode_engine::CaseId;
use meldcode_store::store::export::{ExportDone, ExportRequest};
use meldcode_store::ErrorBody;
use tauri::{AppHandle, State};

type Reply<T> = Result<T, ErrorBody>;

/// The parts an inspection copy may leave out, for the coordinator's preview.
#[tauri::command(async, rename_all = "snake_case")]
pub fn inzage_mask_points(shell: State<'_, Shell>, case_id: CaseId) -> Reply<Vec<MaskPoint>> {
    shell.with_store(|s| Ok(s.inzage_mask_points(case_id)?))
}

/// What was saved, or `None` when the user closed the dialog without choosing (then nothing is
/// on record either).
#[tauri::command(async, rename_all = "snake_case")]
pub fn export_dossier(
    app: AppHandle,
    shell: State<'_, Shell>,
    case_id: CaseId,
    request: ExportRequest,
) -> Reply<Option<ExportDone>> {
    // A generic name: a pupil's name in a file name would stay in the tablet's recent files.
    let file_name = match request.copy {
        ExportCopy::Full => "meldcode-dossier.pdf",
        ExportCopy::Inzage => "meldcode-inzagekopie.pdf",
    };
    let Some(path) = save::choose(
        &app,
        SaveAs {
            title: "Dossier exporteren",
            kind: "PDF",
            extension: "pdf",
            file_name: file_name.into(),
        },
    )?
    else {
        return Ok(None);
    };
    shell
        .with_store(|s| Ok(s.export_pdf(case_id, &request, |bytes| std::fs::write(&path, bytes))?))
        .map(Some)
}
