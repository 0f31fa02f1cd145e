//! Who receives what (R14, R2), decided by the server from metadata alone: the roles of the
//! school's users, which users work on which device, and each case's audience.

use meldcode_engine::access::Audience;
use meldcode_engine::people::{Actor, Role};
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{CaseId, DeviceId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A change to who works at the school, readable in a school-log event's header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
pub enum DirectoryChange {
    /// Added, or given another role.
    Role {
        user: UserId,
        role: Role,
    },
    Removed {
        user: UserId,
    },
    /// The user may work on this device too: it receives her cases and her PIN package.
    Assigned {
        user: UserId,
        device: DeviceId,
    },
    /// The user no longer works on this device.
    Unassigned {
        user: UserId,
        device: DeviceId,
    },
}

/// The server's view of the school's users and devices.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub roles: BTreeMap<UserId, Role>,
    pub assigned: BTreeMap<DeviceId, BTreeSet<UserId>>,
}

impl Directory {
    fn is_admin(&self, user: UserId) -> bool {
        matches!(
            self.roles.get(&user),
            Some(Role::Coordinator | Role::Director)
        )
    }

    /// Applies a change made by `author`, who must be the coordinator or the director (the
    /// device checked the finer rules of R14 before recording). Until the school has either,
    /// the first device's own administration is taken as it comes. Returns whether it applied.
    pub fn apply(&mut self, author: UserId, change: &DirectoryChange) -> bool {
        let bootstrap = !self
            .roles
            .values()
            .any(|r| matches!(r, Role::Coordinator | Role::Director));
        if !bootstrap && !self.is_admin(author) {
            return false;
        }
        match change {
            DirectoryChange::Role { user, role } => {
                self.roles.insert(*user, *role);
            }
            DirectoryChange::Removed { user } => {
                self.roles.remove(user);
                for users in self.assigned.values_mut() {
                    users.remove(user);
                }
            }
            DirectoryChange::Assigned { user, device } => {
                if !self.roles.contains_key(user) {
                    return false;
                }
                self.assigned.entry(*device).or_default().insert(*user);
            }
            DirectoryChange::Unassigned { user, device } => {
                if let Some(users) = self.assigned.get_mut(device) {
                    users.remove(user);
                }
            }
        }
        true
    }

    /// The users who may work on `device`: assigned to it and still at the school.
    pub fn users_on(&self, device: DeviceId) -> Vec<Actor> {
        self.assigned
            .get(&device)
            .into_iter()
            .flatten()
            .filter_map(|user| {
                self.roles.get(user).map(|role| Actor {
                    user_id: *user,
                    role: *role,
                })
            })
            .collect()
    }

    pub fn may_receive(&self, device: DeviceId, case_id: CaseId, audience: &Audience) -> bool {
        may_receive(&self.users_on(device), case_id, audience)
    }
}

/// Whether a device used by `users` may receive a case.
/// - The school log goes to every device: it holds who works here, nothing about a pupil.
/// - A case about a suspected staff member never reaches a device the suspect uses (R2), even
///   when another user of that device could see it.
/// - Otherwise the device receives the case when any of its users may see it (R14).
pub fn may_receive(users: &[Actor], case_id: CaseId, audience: &Audience) -> bool {
    if case_id == SCHOOL_LOG {
        return true;
    }
    if let Some(suspect) = audience.suspect {
        if users.iter().any(|u| u.user_id == suspect) {
            return false;
        }
    }
    users.iter().any(|u| audience.admits(*u))
}

/// The audience the server keeps for a case: the join of what every event's header said.
/// Audiences only grow (a case becomes a staff case, staff become involved), so the join is
/// the same in whatever order the events arrive.
pub fn join(into: &mut Audience, from: &Audience) {
    into.staff_case |= from.staff_case;
    if into.suspect.is_none() {
        into.suspect = from.suspect;
    }
    into.involved.extend(from.involved.iter().copied());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(n: u128) -> UserId {
        UserId::from_u128(n)
    }

    fn actor(n: u128, role: Role) -> Actor {
        Actor {
            user_id: user(n),
            role,
        }
    }

    fn involving(users: &[u128]) -> Audience {
        Audience {
            involved: users.iter().map(|n| user(*n)).collect(),
            ..Audience::default()
        }
    }

    const CASE: CaseId = CaseId::from_u128(0xca5e);

    #[test]
    fn r14_a_teachers_device_receives_only_her_cases() {
        let teacher = [actor(1, Role::Teacher)];
        assert!(may_receive(&teacher, CASE, &involving(&[1])));
        assert!(!may_receive(&teacher, CASE, &involving(&[2])));
        assert!(may_receive(
            &[actor(3, Role::Coordinator)],
            CASE,
            &involving(&[2])
        ));
        assert!(!may_receive(
            &[actor(4, Role::Board)],
            CASE,
            &involving(&[2])
        ));
        assert!(!may_receive(&[], CASE, &involving(&[2])));
    }

    #[test]
    fn r2_a_staff_case_never_reaches_a_device_the_suspect_uses() {
        let staff_case = Audience {
            staff_case: true,
            suspect: Some(user(1)),
            involved: [user(2)].into(),
        };
        let shared = [actor(1, Role::Teacher), actor(5, Role::Director)];
        assert!(!may_receive(&shared, CASE, &staff_case));
        assert!(may_receive(&[actor(5, Role::Director)], CASE, &staff_case));
        assert!(!may_receive(
            &[actor(3, Role::Coordinator)],
            CASE,
            &staff_case
        ));
        assert!(may_receive(&[actor(2, Role::Teacher)], CASE, &staff_case));
    }

    #[test]
    fn the_school_log_reaches_every_device() {
        assert!(may_receive(
            &[actor(1, Role::Teacher)],
            SCHOOL_LOG,
            &Audience::default()
        ));
    }

    #[test]
    fn r14_only_an_administrator_changes_the_directory_once_there_is_one() {
        let mut dir = Directory::default();
        assert!(dir.apply(
            user(1),
            &DirectoryChange::Role {
                user: user(1),
                role: Role::Coordinator
            }
        ));
        assert!(dir.apply(
            user(1),
            &DirectoryChange::Role {
                user: user(2),
                role: Role::Teacher
            }
        ));
        assert!(!dir.apply(
            user(2),
            &DirectoryChange::Role {
                user: user(2),
                role: Role::Director
            }
        ));
        assert_eq!(dir.roles.get(&user(2)), Some(&Role::Teacher));
    }

    #[test]
    fn a_removed_user_leaves_every_device() {
        let mut dir = Directory::default();
        dir.apply(
            user(1),
            &DirectoryChange::Role {
                user: user(1),
                role: Role::Coordinator,
            },
        );
        dir.apply(
            user(1),
            &DirectoryChange::Role {
                user: user(2),
                role: Role::Teacher,
            },
        );
        let tablet = DeviceId::from_u128(9);
        dir.assigned.insert(tablet, [user(2)].into());
        assert!(dir.may_receive(tablet, CASE, &involving(&[2])));
        dir.apply(user(1), &DirectoryChange::Removed { user: user(2) });
        assert!(dir.users_on(tablet).is_empty());
        assert!(!dir.may_receive(tablet, CASE, &involving(&[2])));
    }

    #[test]
    fn only_an_administrator_assigns_a_known_user_to_a_device() {
        let mut dir = Directory::default();
        for (n, role) in [(1, Role::Coordinator), (2, Role::Teacher)] {
            assert!(dir.apply(
                user(1),
                &DirectoryChange::Role {
                    user: user(n),
                    role
                }
            ));
        }
        let tablet = DeviceId::from_u128(9);
        assert!(!dir.may_receive(tablet, CASE, &involving(&[2])));
        // A teacher cannot give herself (or anyone) another device.
        assert!(!dir.apply(
            user(2),
            &DirectoryChange::Assigned {
                user: user(2),
                device: tablet
            }
        ));
        // A user the school does not have is not assigned anywhere.
        assert!(!dir.apply(
            user(1),
            &DirectoryChange::Assigned {
                user: user(3),
                device: tablet
            }
        ));
        assert!(dir.users_on(tablet).is_empty());
        assert!(dir.apply(
            user(1),
            &DirectoryChange::Assigned {
                user: user(2),
                device: tablet
            }
        ));
        assert_eq!(dir.users_on(tablet), vec![actor(2, Role::Teacher)]);
        assert!(dir.may_receive(tablet, CASE, &involving(&[2])));
        // Again: nothing changes.
        let before = dir.clone();
        assert!(dir.apply(
            user(1),
            &DirectoryChange::Assigned {
                user: user(2),
                device: tablet
            }
        ));
        assert_eq!(dir, before);
        // Taken off by a teacher: not applied; by the coordinator: the tablet gets none of her
        // cases from now on.
        let off = DirectoryChange::Unassigned {
            user: user(2),
            device: tablet,
        };
        assert!(!dir.apply(user(2), &off));
        assert!(dir.apply(user(1), &off));
        assert!(!dir.may_receive(tablet, CASE, &involving(&[2])));
        assert!(dir.apply(
            user(1),
            &DirectoryChange::Assigned {
                user: user(2),
                device: tablet
            }
        ));
        // A removed user leaves the device she was assigned to.
        assert!(dir.apply(user(1), &DirectoryChange::Removed { user: user(2) }));
        assert!(dir.users_on(tablet).is_empty());
    }

    #[test]
    fn the_audience_join_does_not_depend_on_order() {
        let a = involving(&[1]);
        let b = Audience {
            staff_case: true,
            suspect: Some(user(7)),
            involved: [user(2)].into(),
        };
        let (mut ab, mut ba) = (a.clone(), b.clone());
        join(&mut ab, &b);
        join(&mut ba, &a);
        assert_eq!(ab, ba);
    }
}
