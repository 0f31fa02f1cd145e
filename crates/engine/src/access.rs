//! Who may see a case (R14, R2). Derived from the events, never stored.

use crate::people::{Actor, Role};
use crate::rules::r02_staff_suspected::{is_suspect, sees_staff_case};
use crate::state::CaseState;

/// Whether `viewer` may see this case at all.
///
/// - The suspected employee never sees their case, whatever their role (R2).
/// - A staff case is led by the board and bypasses the coordinator (art. 4a WPO): the board, the
///   director and those who recorded in it see it.
/// - Otherwise the coordinator and the director see every case, a teacher the cases they are
///   involved in, and the board none.
pub fn can_see(state: &CaseState, viewer: Actor) -> bool {
    if is_suspect(state, viewer.user_id) {
        return false;
    }
    let involved = state.involved.contains(&viewer.user_id);
    if state.is_staff_case() {
        return involved || sees_staff_case(viewer.role);
    }
    match viewer.role {
        Role::Coordinator | Role::Director => true,
        Role::Teacher => involved,
        Role::Board => false,
    }
}
