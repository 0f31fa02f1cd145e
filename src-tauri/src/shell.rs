//! The shell's state: the data folder, the unlocked store (if any), and the idle clock that
//! locks it again, after the lock time without a touch or with the window out of sight.

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
    /// The idle clock's reading when the window was hidden, minimised or unfocused; `None` while
    /// it is in front.
    away_since: Mutex<Option<Duration>>,
    clock: Box<dyn Clock>,
    settings: Mutex<DeviceSettings>,
}

pub fn guard<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
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
            away_since: Mutex::new(None),
            clock,
            settings: Mutex::new(settings),
        }
    }

    pub fn touch(&self) {
        *guard(&self.last_touch) = self.clock.now();
    }

    pub fn open(&self, store: Store) {
        self.touch();
        // The PIN was just typed into the window, so it is in front, whatever a missed focus
        // event left behind.
        self.window_back();
        *guard(&self.store) = Some(store);
    }

    /// Drops the store, which zeroises its key and closes the database. What was recorded is
    /// handed to the sync spool first, so that it goes out while the app is locked.
    pub fn lock(&self) -> bool {
        let Some(mut store) = guard(&self.store).take() else {
            return false;
        };
        if let Err(e) = store.hand_over() {
            eprintln!(
                "Meldcode: hand-over to the sync spool at lock failed ({})",
                e.code()
            );
        }
        true
    }

    /// Drops the store without handing anything over (the device is being wiped).
    pub fn drop_store(&self) {
        guard(&self.store).take();
    }

    /// Runs `f` on the store if it is unlocked, without counting as activity: background work
    /// must not keep a session open.
    pub fn with_open_store<T>(&self, f: impl FnOnce(&mut Store) -> T) -> Option<T> {
        guard(&self.store).as_mut().map(f)
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

    /// Adds an alarm found in the background to the open session, without counting as activity.
    pub fn note_alarm(&self, alarm: meldcode_store::vault::anchor::IntegrityAlarm) {
        if let Some(store) = guard(&self.store).as_mut() {
            store.note_alarm(alarm);
        }
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

    fn lock_time(&self) -> Duration {
        Duration::from_secs(u64::from(self.settings().lock_after_minutes) * 60)
    }

    /// Whether the lock time has passed since the last activity.
    pub fn lock_time_passed(&self) -> bool {
        self.idle_for() >= self.lock_time()
    }

    /// The window went out of sight or lost focus. The first moment counts: the watcher reports
    /// a window that is still away again on every round.
    pub fn window_left(&self) {
        let now = self.clock.now();
        guard(&self.away_since).get_or_insert(now);
    }

    /// The window is in front and focused again.
    pub fn window_back(&self) {
        *guard(&self.away_since) = None;
    }

    /// Whether the window has been away for the lock time, asleep or awake. Unlike the idle
    /// clock, no command resets this: a webview that keeps calling from the background (a timer,
    /// a bug, injected script) cannot keep an unattended session open.
    pub fn away_past_lock_time(&self) -> bool {
        let since = *guard(&self.away_since);
        since.is_some_and(|since| self.clock.now().saturating_sub(since) >= self.lock_time())
    }

    /// True when the store is open and the window has been away for longer than the lock time.
    pub fn away_too_long(&self) -> bool {
        guard(&self.store).is_some() && self.away_past_lock_time()
    }

    /// Why the store should be locked now, if it should: the reason the UI is told.
    pub fn lock_due(&self) -> Option<&'static str> {
        if self.idle_too_long() {
            Some("idle")
        } else if self.away_too_long() {
            Some("hidden")
        } else {
            None
        }
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

    /// A shell on a test clock at zero, with the lock time in seconds.
    fn shell_on(clock: &TestClock) -> (tempfile::TempDir, Shell, u64) {
        let dir = tempfile::tempdir().expect("temp dir");
        let shell = Shell::with_clock(dir.path().to_path_buf(), Box::new(clock.clone()));
        let limit = u64::from(shell.settings().lock_after_minutes) * 60;
        (dir, shell, limit)
    }

    #[test]
    fn a_window_hidden_past_the_lock_time_is_due_to_lock() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        clock.0.fetch_add(limit - 1, Ordering::SeqCst);
        assert!(!shell.away_past_lock_time(), "still within the lock time");
        clock.0.fetch_add(1, Ordering::SeqCst);
        assert!(shell.away_past_lock_time());
    }

    #[test]
    fn focus_back_within_the_lock_time_keeps_the_session() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        clock.0.fetch_add(limit - 1, Ordering::SeqCst);
        shell.window_back();
        clock.0.fetch_add(limit * 10, Ordering::SeqCst);
        assert!(!shell.away_past_lock_time(), "the window is in front");
        // Away again: the clock starts afresh, not from the first absence.
        shell.window_left();
        clock.0.fetch_add(limit - 1, Ordering::SeqCst);
        assert!(!shell.away_past_lock_time());
    }

    #[test]
    fn the_absence_counts_from_when_the_window_first_left() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        for _ in 0..limit / 5 {
            // The watcher's rounds, each seeing the window still away.
            clock.0.fetch_add(5, Ordering::SeqCst);
            shell.window_left();
        }
        assert!(shell.away_past_lock_time());
    }

    #[test]
    fn activity_while_the_window_is_away_does_not_keep_the_session() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        clock.0.fetch_add(limit, Ordering::SeqCst);
        shell.touch();
        assert!(
            !shell.lock_time_passed(),
            "the idle clock was reset by the call"
        );
        assert!(shell.away_past_lock_time(), "the away clock was not");
    }

    #[test]
    fn a_suspend_while_the_window_is_away_counts_toward_the_lock() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        // Suspended: the boot clock moves on while no watcher round runs.
        clock.0.fetch_add(limit + 60, Ordering::SeqCst);
        assert!(shell.away_past_lock_time());
    }

    #[test]
    fn a_locked_shell_has_nothing_to_lock() {
        let clock = TestClock::default();
        let (_dir, shell, limit) = shell_on(&clock);
        shell.window_left();
        clock.0.fetch_add(limit * 2, Ordering::SeqCst);
        assert!(shell.away_past_lock_time() && shell.lock_time_passed());
        assert!(!shell.away_too_long() && !shell.idle_too_long());
        assert_eq!(shell.lock_due(), None);
    }
}
