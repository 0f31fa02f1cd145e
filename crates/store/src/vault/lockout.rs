//! Wrong-PIN delays that neither a wall clock moved forward nor a restart skips. A delay is kept
//! in the boot-time clock (which counts through suspend and cannot be set) with the boot it
//! belongs to; after a reboot the whole delay starts again, which costs an attacker more than
//! the reboot saves. The wall clock is kept too, for a platform without a boot-time clock.

use crate::error::StoreError;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// Wrong PINs allowed for one user before delays start.
pub const FREE_ATTEMPTS: u32 = 4;
/// Wrong PINs allowed on this device, over all users, before delays start: someone trying each
/// colleague's name in turn is slowed down as well.
pub const FREE_DEVICE_ATTEMPTS: u32 = 10;
const FIRST_DELAY_SECONDS: u64 = 30;
const MAX_DELAY_SECONDS: u64 = 60 * 60;

/// The moment of a PIN attempt, in both clocks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Now {
    pub wall: DateTime<Utc>,
    pub boot: Option<BootInstant>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BootInstant {
    pub boot_id: String,
    pub seconds: u64,
}

impl Now {
    pub fn read() -> Self {
        Self {
            wall: Utc::now(),
            boot: boot_instant(),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
fn boot_instant() -> Option<BootInstant> {
    let boot_id = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let t = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
    Some(BootInstant {
        boot_id: boot_id.trim().to_owned(),
        seconds: u64::try_from(t.tv_sec).ok()?,
    })
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn boot_instant() -> Option<BootInstant> {
    None
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockout {
    pub failures: u32,
    pub until: Option<LockedUntil>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockedUntil {
    pub wall: DateTime<Utc>,
    pub boot: Option<BootInstant>,
    pub delay_seconds: u64,
}

impl Lockout {
    /// Seconds still to wait, if any. After a reboot the delay counts again from `now`, so the
    /// caller saves the re-based lockout (`true` in the second place).
    pub fn remaining(&mut self, now: &Now) -> (u64, bool) {
        let Some(until) = &mut self.until else {
            return (0, false);
        };
        let wall_left = u64::try_from((until.wall - now.wall).num_seconds()).unwrap_or(0);
        let (boot_left, rebased) = match (&until.boot, &now.boot) {
            (Some(then), Some(current)) if then.boot_id == current.boot_id => {
                (then.seconds.saturating_sub(current.seconds), false)
            }
            (Some(_), Some(current)) => {
                until.boot = Some(BootInstant {
                    boot_id: current.boot_id.clone(),
                    seconds: current.seconds + until.delay_seconds,
                });
                (until.delay_seconds, true)
            }
            // No boot clock here (or there was none then): only the wall clock is left.
            _ => (0, false),
        };
        (wall_left.max(boot_left), rebased)
    }

    /// Counts a wrong PIN; after `free` of them each doubles the wait (30 s, 1 min … 1 h).
    /// Returns the delay now running, if any.
    pub fn register_failure(&mut self, now: &Now, free: u32) -> Option<u64> {
        self.failures = self.failures.saturating_add(1);
        if self.failures <= free {
            return None;
        }
        let doublings = (self.failures - free - 1).min(16);
        let seconds = (FIRST_DELAY_SECONDS << doublings).min(MAX_DELAY_SECONDS);
        self.until = Some(LockedUntil {
            wall: now.wall + Duration::seconds(i64::try_from(seconds).unwrap_or(i64::MAX)),
            boot: now.boot.as_ref().map(|b| BootInstant {
                boot_id: b.boot_id.clone(),
                seconds: b.seconds + seconds,
            }),
            delay_seconds: seconds,
        });
        Some(seconds)
    }

    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

/// The error for a wrong PIN, given the user's and the device's lockout after counting it.
pub fn wrong_pin_error(
    user_delay: Option<u64>,
    device_delay: Option<u64>,
    user_failures: u32,
) -> StoreError {
    match user_delay.max(device_delay) {
        Some(seconds) => StoreError::LockedOut { seconds },
        None => StoreError::WrongPin {
            attempts_left_before_delay: FREE_ATTEMPTS.saturating_sub(user_failures),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(wall_secs: i64, boot_id: &str, boot_secs: u64) -> Now {
        Now {
            wall: DateTime::from_timestamp(1_790_000_000 + wall_secs, 0).expect("time"),
            boot: Some(BootInstant {
                boot_id: boot_id.into(),
                seconds: boot_secs,
            }),
        }
    }

    #[test]
    fn delays_grow_after_the_free_attempts_and_are_capped() {
        let now = at(0, "a", 100);
        let mut l = Lockout::default();
        for _ in 0..FREE_ATTEMPTS {
            assert_eq!(l.register_failure(&now, FREE_ATTEMPTS), None);
        }
        let delays: Vec<u64> = (0..12)
            .map(|_| l.register_failure(&now, FREE_ATTEMPTS).expect("a delay"))
            .collect();
        assert_eq!(&delays[..4], &[30, 60, 120, 240]);
        assert_eq!(*delays.last().expect("delays"), 3600);
        assert_eq!(l.remaining(&now).0, 3600);
        l.clear();
        assert_eq!(l.remaining(&now).0, 0);
    }

    #[test]
    fn moving_the_wall_clock_forward_does_not_end_a_lockout() {
        let mut l = Lockout::default();
        let now = at(0, "a", 100);
        for _ in 0..=FREE_ATTEMPTS {
            l.register_failure(&now, FREE_ATTEMPTS);
        }
        // Two hours later by the wall clock, ten seconds later by the boot clock.
        let moved = at(7200, "a", 110);
        assert_eq!(l.remaining(&moved).0, 20);
        let waited = at(7200, "a", 130);
        assert_eq!(l.remaining(&waited).0, 0);
    }

    #[test]
    fn a_reboot_starts_the_delay_again() {
        let mut l = Lockout::default();
        let now = at(0, "a", 100);
        for _ in 0..=FREE_ATTEMPTS {
            l.register_failure(&now, FREE_ATTEMPTS);
        }
        let rebooted = at(7200, "b", 5);
        assert_eq!(l.remaining(&rebooted), (30, true));
        assert_eq!(l.remaining(&at(7210, "b", 15)).0, 20);
    }

    #[test]
    fn without_a_boot_clock_the_wall_clock_counts() {
        let mut l = Lockout::default();
        let now = Now {
            wall: DateTime::from_timestamp(1_790_000_000, 0).expect("time"),
            boot: None,
        };
        for _ in 0..=FREE_ATTEMPTS {
            l.register_failure(&now, FREE_ATTEMPTS);
        }
        assert_eq!(l.remaining(&now).0, 30);
    }
}
