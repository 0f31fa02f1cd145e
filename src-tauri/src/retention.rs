//! The end of a dossier (R15 retention): the closed cases whose retention period is over, for
//! the case lead, and their destruction, confirmed with her PIN. The other devices and their
//! copies follow through sync (the tombstone in the school log).

use crate::background_sync::BackgroundSync;
use crate::shell::Shell;
use meldcode_engine::CaseId;
use meldcode_store::projection::CaseListItem;
use meldcode_store::{ErrorBody, Proof};
use tauri::State;

type Reply<T> = Result<T, ErrorBody>;

#[tauri::command(async, rename_all = "snake_case")]
pub fn due_for_destruction(shell: State<'_, Shell>) -> Reply<Vec<CaseListItem>> {
    shell.with_store(|s| Ok(s.due_for_destruction()?))
}

#[tauri::command(async, rename_all = "snake_case")]
pub fn destroy_case(
    shell: State<'_, Shell>,
    sync: State<'_, BackgroundSync>,
    acting_pin: zeroize::Zeroizing<String>,
    case_id: CaseId,
    reason: String,
) -> Reply<()> {
    shell.with_store(|s| Ok(s.destroy_case(Proof::Pin(&acting_pin), case_id, &reason)?))?;
    // The tombstone goes to the server and the other devices at once.
    sync.kick();
    Ok(())
}
