//! The shell's state: the data folder, the unlocked store (if any), and the idle clock that
//! locks it again.

use meldcode_store::{DeviceSettings, ErrorBody, Store};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

pub struct Shell {
    pub dir: PathBuf,
    store: Mutex<Option<Store>>,
    last_touch: Mutex<Instant>,
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
        let settings = DeviceSettings::load(&dir);
        Self {
            dir,
            store: Mutex::new(None),
            last_touch: Mutex::new(Instant::now()),
            settings: Mutex::new(settings),
        }
    }

    pub fn touch(&self) {
        *guard(&self.last_touch) = Instant::now();
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

    /// True when the store is open and nobody touched the app for longer than the lock time.
    pub fn idle_too_long(&self) -> bool {
        let limit = Duration::from_secs(u64::from(self.settings().lock_after_minutes) * 60);
        guard(&self.store).is_some() && guard(&self.last_touch).elapsed() >= limit
    }
}
