//! The school log: user administration as events in the same append-only, hash-chained log as
//! the cases, so that adding a colleague, resetting a PIN or changing a role is accounted for like
//! any record. Who may do what is decided here; the store only carries it out.

use crate::envelope::Envelope;
use crate::event::EventPayload;
use crate::ids::{CaseId, EventId, UserId};
use crate::people::{Actor, Role, User};
use crate::records::CaseDestroyedInput;
use crate::rule::RuleId;
use crate::violation::Violation;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The log's own id in the events table: not a case, and never listed as one.
pub const SCHOOL_LOG: CaseId = CaseId(uuid::Uuid::from_u128(
    0x5c40_0100_0000_7000_8000_0000_0000_0001,
));

/// What an administrator asks to do with an account.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AdminAction {
    Add,
    ResetPin,
    Remove,
    ChangeRole {
        to: Role,
    },
    /// Lets the colleague work on another device of the school too.
    Assign {
        device: crate::ids::DeviceId,
    },
    /// Takes the colleague off a device.
    Unassign {
        device: crate::ids::DeviceId,
    },
}

/// How the administrator proved who they are: their own PIN again, or the recovery key from the
/// school's safe (for the accounts a coordinator may not make).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Authority {
    OwnPin,
    RecoveryKey,
}

/// What the decision needs to know about the account concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Target {
    pub role: Role,
    /// Suspected in a staff case (R2). The refusal never says so.
    pub suspect_in_staff_case: bool,
    pub is_self: bool,
}

fn refused(code: &str, message: &str) -> Violation {
    Violation::new(RuleId::R14, code, message)
}

const LEADERSHIP_ONLY: &str = "Een account van de directie of het bestuur maakt of wijzigt alleen de directie, of de intern begeleider met de herstelsleutel uit de kluis.";

/// Who may administer which account:
/// - the coordinator and the director administer accounts; nobody else does;
/// - director and board accounts are made, reset, removed or given by the director, or with the
///   recovery key, never by a coordinator on their own PIN (a coordinator must not be able to
///   give themselves the board's view of a staff case);
/// - a coordinator cannot reset the PIN of a colleague suspected in a staff case (R2: the board
///   leads that case, and the account must not be taken over); the refusal looks like the one
///   for leadership accounts, so it reveals nothing;
/// - nobody removes themselves or changes their own role.
pub fn check_admin(
    actor: Actor,
    action: AdminAction,
    target: Target,
    authority: Authority,
) -> Result<(), Violation> {
    if !matches!(actor.role, Role::Coordinator | Role::Director) {
        return Err(refused(
            "admin_not_allowed",
            "Alleen de intern begeleider of de directie beheert gebruikers.",
        ));
    }
    if target.is_self && matches!(action, AdminAction::Remove | AdminAction::ChangeRole { .. }) {
        return Err(refused(
            "admin_self",
            "U kunt uw eigen account niet verwijderen of een andere rol geven.",
        ));
    }
    let leadership = |r: Role| matches!(r, Role::Director | Role::Board);
    let touches_leadership = leadership(target.role)
        || matches!(action, AdminAction::ChangeRole { to } if leadership(to));
    let director_or_key = actor.role == Role::Director || authority == Authority::RecoveryKey;
    if touches_leadership && !director_or_key {
        return Err(refused("admin_leadership_account", LEADERSHIP_ONLY));
    }
    // Assigning a suspect to a device would also keep the staff case off that device (R2): like
    // a reset, it is the director's to do.
    let takes_over = matches!(action, AdminAction::ResetPin | AdminAction::Assign { .. });
    if takes_over && target.suspect_in_staff_case && !director_or_key {
        return Err(refused(
            "admin_leadership_account",
            "De pincode van deze collega stelt alleen de directie opnieuw in.",
        ));
    }
    Ok(())
}

/// One line of the school log as the director and the board read it.
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchoolLogEntry {
    pub id: EventId,
    pub recorded_at: DateTime<Utc>,
    pub author: UserId,
    pub author_role: Role,
    /// `user_added`, `user_removed`, `pin_reset`, `role_changed`, `user_assigned`,
    /// `user_unassigned`, `pin_changed` or `case_destroyed`.
    pub kind: String,
    /// The colleague whose account changed; none for a destroyed case.
    pub subject: Option<UserId>,
    /// The role given (added, changed to); none for a reset or a removal.
    pub role: Option<Role>,
    pub with_recovery_key: bool,
    /// For `case_destroyed`: the tombstone (which case, kept until, how many records, why).
    pub destroyed: Option<CaseDestroyedInput>,
}

/// The school log's entries, oldest first; case events are not part of it.
pub fn school_log(events: &[Envelope]) -> Vec<SchoolLogEntry> {
    events
        .iter()
        .filter_map(|e| {
            let (subject, role, with_recovery_key) = match &e.payload {
                EventPayload::CaseDestroyed(t) => {
                    return Some(SchoolLogEntry {
                        id: e.id,
                        recorded_at: e.recorded_at,
                        author: e.author,
                        author_role: e.author_role,
                        kind: e.payload.kind().to_owned(),
                        subject: None,
                        role: None,
                        with_recovery_key: false,
                        destroyed: Some(t.clone()),
                    })
                }
                EventPayload::UserAdded {
                    user,
                    with_recovery_key,
                } => (user.id, Some(user.role), *with_recovery_key),
                EventPayload::UserRemoved { user } => (*user, None, false),
                EventPayload::PinReset {
                    user,
                    with_recovery_key,
                } => (*user, None, *with_recovery_key),
                EventPayload::RoleChanged {
                    user,
                    role,
                    with_recovery_key,
                } => (*user, Some(*role), *with_recovery_key),
                EventPayload::UserAssigned {
                    user,
                    with_recovery_key,
                    ..
                } => (*user, None, *with_recovery_key),
                EventPayload::PinChanged { user } => (*user, None, false),
                EventPayload::UserUnassigned {
                    user,
                    with_recovery_key,
                    ..
                } => (*user, None, *with_recovery_key),
                _ => return None,
            };
            Some(SchoolLogEntry {
                id: e.id,
                recorded_at: e.recorded_at,
                author: e.author,
                author_role: e.author_role,
                kind: e.payload.kind().to_owned(),
                subject: Some(subject),
                role,
                with_recovery_key,
                destroyed: None,
            })
        })
        .collect()
}

/// The payload for an administration that `check_admin` allowed.
pub fn admin_event(action: AdminAction, user: &User, authority: Authority) -> EventPayload {
    let with_recovery_key = authority == Authority::RecoveryKey;
    match action {
        AdminAction::Add => EventPayload::UserAdded {
            user: user.clone(),
            with_recovery_key,
        },
        AdminAction::ResetPin => EventPayload::PinReset {
            user: user.id,
            with_recovery_key,
        },
        AdminAction::Remove => EventPayload::UserRemoved { user: user.id },
        AdminAction::ChangeRole { to } => EventPayload::RoleChanged {
            user: user.id,
            role: to,
            with_recovery_key,
        },
        AdminAction::Assign { device } => EventPayload::UserAssigned {
            user: user.id,
            device,
            with_recovery_key,
        },
        AdminAction::Unassign { device } => EventPayload::UserUnassigned {
            user: user.id,
            device,
            with_recovery_key,
        },
    }
}

/// Who may read the school log: the director and the board, who answer for the school's staff.
pub fn may_read_school_log(actor: Actor) -> bool {
    matches!(actor.role, Role::Director | Role::Board)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: UserId::from_u128(1),
            role,
        }
    }

    fn target(role: Role) -> Target {
        Target {
            role,
            suspect_in_staff_case: false,
            is_self: false,
        }
    }

    #[test]
    fn r14_a_coordinator_cannot_make_or_reset_board_and_director_accounts() {
        let ib = actor(Role::Coordinator);
        for role in [Role::Director, Role::Board] {
            for action in [AdminAction::Add, AdminAction::ResetPin, AdminAction::Remove] {
                let err =
                    check_admin(ib, action, target(role), Authority::OwnPin).expect_err("refused");
                assert_eq!(err.code, "admin_leadership_account");
            }
            assert!(
                check_admin(ib, AdminAction::Add, target(role), Authority::RecoveryKey).is_ok()
            );
            assert!(check_admin(
                actor(Role::Director),
                AdminAction::Add,
                target(role),
                Authority::OwnPin
            )
            .is_ok());
        }
        let promote = AdminAction::ChangeRole { to: Role::Board };
        assert!(check_admin(ib, promote, target(Role::Teacher), Authority::OwnPin).is_err());
        assert!(check_admin(
            ib,
            AdminAction::Add,
            target(Role::Teacher),
            Authority::OwnPin
        )
        .is_ok());
    }

    #[test]
    fn r2_a_coordinator_cannot_reset_the_pin_of_a_suspect_and_is_not_told_why() {
        let suspect = Target {
            suspect_in_staff_case: true,
            ..target(Role::Teacher)
        };
        let err = check_admin(
            actor(Role::Coordinator),
            AdminAction::ResetPin,
            suspect,
            Authority::OwnPin,
        )
        .expect_err("refused");
        assert!(!err.message.contains("verdacht"), "the reason stays secret");
        assert!(check_admin(
            actor(Role::Director),
            AdminAction::ResetPin,
            suspect,
            Authority::OwnPin
        )
        .is_ok());
    }

    #[test]
    fn r14_assigning_a_colleague_to_a_device_is_administration() {
        let device = crate::ids::DeviceId(uuid::Uuid::from_u128(7));
        let assign = AdminAction::Assign { device };
        let teacher = target(Role::Teacher);
        assert!(check_admin(actor(Role::Coordinator), assign, teacher, Authority::OwnPin).is_ok());
        assert!(check_admin(actor(Role::Teacher), assign, teacher, Authority::OwnPin).is_err());
        let err = check_admin(
            actor(Role::Coordinator),
            assign,
            target(Role::Director),
            Authority::OwnPin,
        )
        .expect_err("leadership");
        assert_eq!(err.code, "admin_leadership_account");
        let user = User {
            id: UserId::from_u128(2),
            full_name: "Sanne de Vries".into(),
            role: Role::Teacher,
        };
        assert_eq!(
            admin_event(assign, &user, Authority::OwnPin).kind(),
            "user_assigned"
        );
        // Taking a colleague off a device is administration too, and protects, so a suspect
        // may be taken off by the coordinator.
        let unassign = AdminAction::Unassign {
            device: crate::ids::DeviceId(uuid::Uuid::from_u128(7)),
        };
        assert!(check_admin(actor(Role::Teacher), unassign, teacher, Authority::OwnPin).is_err());
        let suspect = Target {
            suspect_in_staff_case: true,
            ..teacher
        };
        assert!(check_admin(
            actor(Role::Coordinator),
            unassign,
            suspect,
            Authority::OwnPin
        )
        .is_ok());
    }

    #[test]
    fn r2_a_coordinator_cannot_put_a_suspect_on_a_device() {
        let suspect = Target {
            suspect_in_staff_case: true,
            ..target(Role::Teacher)
        };
        let assign = AdminAction::Assign {
            device: crate::ids::DeviceId(uuid::Uuid::from_u128(7)),
        };
        assert!(check_admin(actor(Role::Coordinator), assign, suspect, Authority::OwnPin).is_err());
        assert!(check_admin(actor(Role::Director), assign, suspect, Authority::OwnPin).is_ok());
    }

    #[test]
    fn r14_only_the_coordinator_and_the_director_administer() {
        for role in [Role::Teacher, Role::Board] {
            assert!(check_admin(
                actor(role),
                AdminAction::Add,
                target(Role::Teacher),
                Authority::RecoveryKey
            )
            .is_err());
        }
        let me = Target {
            is_self: true,
            ..target(Role::Coordinator)
        };
        assert!(check_admin(
            actor(Role::Coordinator),
            AdminAction::Remove,
            me,
            Authority::OwnPin
        )
        .is_err());
    }
}
