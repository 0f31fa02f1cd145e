//! Who may see a case (R14, R2). Derived from the events, never stored as truth; the store
//! keeps a copy of the `Audience` in its case list so lists need no replay.

use crate::ids::UserId;
use crate::people::{Actor, Role};
use crate::state::CaseState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// The facts that decide visibility.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Audience {
    pub staff_case: bool,
    pub suspect: Option<UserId>,
    /// Staff who recorded anything or were involved by the coordinator.
    pub involved: BTreeSet<UserId>,
}

impl Audience {
    pub fn of(state: &CaseState) -> Self {
        Self {
            staff_case: state.is_staff_case(),
            suspect: state.staff_suspicion.as_ref().map(|s| s.data.staff_user),
            involved: state.involved.clone(),
        }
    }

    /// - The suspected employee never sees their case, whatever their role (R2).
    /// - A staff case is led by the board and bypasses the coordinator (art. 4a WPO): the board,
    ///   the director and those who recorded in it see it.
    /// - Otherwise the coordinator and the director see every case, a teacher the cases they are
    ///   involved in, and the board none.
    pub fn admits(&self, viewer: Actor) -> bool {
        if self.suspect == Some(viewer.user_id) {
            return false;
        }
        let involved = self.involved.contains(&viewer.user_id);
        if self.staff_case {
            return involved || matches!(viewer.role, Role::Board | Role::Director);
        }
        match viewer.role {
            Role::Coordinator | Role::Director => true,
            Role::Teacher => involved,
            Role::Board => false,
        }
    }
}

/// Whether `viewer` may see this case at all.
pub fn can_see(state: &CaseState, viewer: Actor) -> bool {
    Audience::of(state).admits(viewer)
}
