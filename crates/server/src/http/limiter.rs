//! Enrollment codes are guessed against: failed attempts are counted per address and over
//! all addresses, in a sliding window, and refused for a while once too many failed.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;

pub const WINDOW_MS: u64 = 15 * 60 * 1000;
pub const PER_ADDRESS: usize = 5;
pub const OVERALL: usize = 50;

#[derive(Default)]
pub struct Limiter {
    by_address: HashMap<IpAddr, VecDeque<u64>>,
    overall: VecDeque<u64>,
}

fn prune(times: &mut VecDeque<u64>, now: u64) {
    while times.front().is_some_and(|t| t + WINDOW_MS <= now) {
        times.pop_front();
    }
}

impl Limiter {
    /// Whether an attempt from `address` may be tried now.
    pub fn allows(&mut self, address: IpAddr, now: u64) -> bool {
        prune(&mut self.overall, now);
        let mine = self.by_address.entry(address).or_default();
        prune(mine, now);
        mine.len() < PER_ADDRESS && self.overall.len() < OVERALL
    }

    pub fn failed(&mut self, address: IpAddr, now: u64) {
        self.by_address.entry(address).or_default().push_back(now);
        self.overall.push_back(now);
        // Keep the map from growing with addresses that have gone quiet.
        if self.by_address.len() > 10_000 {
            self.by_address.retain(|_, t| {
                prune(t, now);
                !t.is_empty()
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_stopped_after_five_failures_until_the_window_passes() {
        let mut l = Limiter::default();
        let a: IpAddr = [10, 0, 0, 1].into();
        for i in 0..PER_ADDRESS as u64 {
            assert!(l.allows(a, i));
            l.failed(a, i);
        }
        assert!(!l.allows(a, 100));
        assert!(l.allows([10, 0, 0, 2].into(), 100));
        assert!(l.allows(a, WINDOW_MS + 10));
    }

    #[test]
    fn many_addresses_together_are_stopped_too() {
        let mut l = Limiter::default();
        for i in 0..OVERALL as u8 {
            l.failed([10, 0, 1, i].into(), 0);
        }
        assert!(!l.allows([10, 0, 2, 1].into(), 1));
    }
}
