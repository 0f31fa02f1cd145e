//! The shell's state: the data folder, the unlocked store (if any), and the idle clock that
//! locks it again.

use crate::idle_clock::{BootClock, Clock};
use meldcode_store::{DeviceSettings, ErrorBody, Store};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

pub struct Shell {
    pub dir: PathBuf,
    store: Mutex<Option<Store>>,
    /// The idle clock's reading at the last activity; it counts through suspend.
    last_touch: Mutex<Duration>,
    clock: Box<dyn Clock>,
    settings: Mutex<DeviceSettings>,
}

fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic in another command must not lock the teacher out of the app for good.
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn locked() -> ErrorBody {
    ErrorBody {
        code: "locked".into(),
        message: "De app is vergrendeld. Kies uw naam en voer uw pincode in.".into(),
    }
}

impl Shell {
    pub fn new(dir: PathBuf) -> Self {
        Self::with_clock(dir, Box::new(BootClock))
    }

    pub fn with_clock(dir: PathBuf, clock: Box<dyn Clock>) -> Self {
        let settings = DeviceSettings::load(&dir);
        Self {
            dir,
            store: Mutex::new(None),
            last_touch: Mutex::new(clock.now()),
            clock,
            settings: Mutex::new(settings),
        }
    }

    pub fn touch(&self) {
        *guard(&self.last_touch) = self.clock.now();
    }

    pub fn open(&self, store: Store) {
        self.touch();
        *guard(&self.store) = Some(store);
    }

    /// Drops the store, which zeroises its key and closes the database.
    pub fn lock(&self) -> bool {
        guard(&self.store).take().is_some()
    }

    /// Runs `f` on the unlocked store, counting the call as activity.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, ErrorBody>,
    ) -> Result<T, ErrorBody> {
        let mut store = guard(&self.store);
        let store = store.as_mut().ok_or_else(locked)?;
        self.touch();
        f(store)
    }

    pub fn settings(&self) -> DeviceSettings {
        *guard(&self.settings)
    }

    pub fn set_settings(&self, settings: DeviceSettings) {
        *guard(&self.settings) = settings;
    }

    /// How long nobody touched the app, asleep or awake.
    pub fn idle_for(&self) -> Duration {
        self.clock.now().saturating_sub(*guard(&self.last_touch))
    }

    /// Whether the lock time has passed since the last activity.
    pub fn lock_time_passed(&self) -> bool {
        let limit = Duration::from_secs(u64::from(self.settings().lock_after_minutes) * 60);
        self.idle_for() >= limit
    }

    /// True when the store is open and nobody touched the app for longer than the lock time.
    pub fn idle_too_long(&self) -> bool {
        guard(&self.store).is_some() && self.lock_time_passed()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    /// A boot-time clock the test moves: a suspend is time that passes without any activity
    /// and without the process running.
    #[derive(Clone, Default)]
    struct TestClock(Arc<AtomicU64>);

    impl Clock for TestClock {
        fn now(&self) -> Duration {
            Duration::from_secs(self.0.load(Ordering::SeqCst))
        }
    }

    #[test]
    fn a_tablet_that_slept_past_the_lock_time_wakes_up_locked() {
        let dir = tempfile::tempdir().expect("temp dir");
        let clock = TestClock::default();
        let shell = Shell::with_clock(dir.path().to_path_buf(), Box::new(clock.clone()));
        let limit = u64::from(shell.settings().lock_after_minutes) * 60;
        shell.touch();
        clock.0.fetch_add(limit - 1, Ordering::SeqCst);
        assert!(!shell.lock_time_passed(), "still within the lock time");
        shell.touch();
        // Suspended: the boot clock moves on while nothing runs.
        clock.0.fetch_add(limit + 60, Ordering::SeqCst);
        assert!(shell.lock_time_passed(), "the sleep counts as idle time");
    }
}
