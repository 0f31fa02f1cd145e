//! Hybrid logical clock: orders events across devices even when their wall clocks disagree,
//! which the later sync needs; ties are broken by device id.

use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch, never behind any timestamp seen before.
    pub wall_ms: u64,
    /// Counts events within the same millisecond.
    pub logical: u32,
}

impl Hlc {
    /// The clock for a local event at physical time `now_ms`.
    pub fn tick(self, now_ms: u64) -> Self {
        if now_ms > self.wall_ms {
            Self {
                wall_ms: now_ms,
                logical: 0,
            }
        } else {
            Self {
                wall_ms: self.wall_ms,
                logical: self.logical.saturating_add(1),
            }
        }
    }

    /// The clock after receiving `remote` from another device at physical time `now_ms`.
    pub fn merge(self, remote: Hlc, now_ms: u64) -> Self {
        let wall_ms = self.wall_ms.max(remote.wall_ms).max(now_ms);
        let logical = if wall_ms == self.wall_ms && wall_ms == remote.wall_ms {
            self.logical.max(remote.logical).saturating_add(1)
        } else if wall_ms == self.wall_ms {
            self.logical.saturating_add(1)
        } else if wall_ms == remote.wall_ms {
            remote.logical.saturating_add(1)
        } else {
            0
        };
        Self { wall_ms, logical }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tick_is_monotonic_when_the_wall_clock_goes_back() {
        let a = Hlc::default().tick(1_000);
        let b = a.tick(900);
        let c = b.tick(900);
        assert!(a < b && b < c);
        assert_eq!(c.wall_ms, 1_000);
    }

    #[test]
    fn merge_moves_past_the_remote_clock() {
        let local = Hlc::default().tick(1_000);
        let remote = Hlc {
            wall_ms: 5_000,
            logical: 3,
        };
        let merged = local.merge(remote, 2_000);
        assert!(merged > remote && merged > local);
    }
}
