//! The clock the idle lock counts with. `Instant` is CLOCK_MONOTONIC on Linux, which stops while
//! the device is suspended: a tablet that slept past the lock time would wake up unlocked. The
//! boot-time clock keeps counting through suspend.

use std::time::Duration;

/// Time since some fixed moment, counting the time the device was asleep.
pub trait Clock: Send + Sync {
    fn now(&self) -> Duration;
}

/// CLOCK_BOOTTIME on Linux and Android.
pub struct BootClock;

#[cfg(any(target_os = "linux", target_os = "android"))]
impl Clock for BootClock {
    fn now(&self) -> Duration {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::Boottime);
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or(0),
            u32::try_from(t.tv_nsec).unwrap_or(0),
        )
    }
}

// Elsewhere the monotonic clock stands in until each platform's suspend-aware clock is wired up
// (the app refuses to run without a keyring on those platforms today).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
impl Clock for BootClock {
    fn now(&self) -> Duration {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START.get_or_init(std::time::Instant::now).elapsed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_boot_clock_counts_at_least_as_much_as_the_monotonic_one() {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            let mono = rustix::time::clock_gettime(rustix::time::ClockId::Monotonic);
            let boot = BootClock.now();
            // Equal unless the machine was ever suspended; never less.
            assert!(boot.as_secs() >= u64::try_from(mono.tv_sec).unwrap_or(0));
        }
        let before = BootClock.now();
        std::thread::sleep(Duration::from_millis(20));
        assert!(BootClock.now() >= before + Duration::from_millis(20));
    }
}
