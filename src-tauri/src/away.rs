//! Locking from Rust when nobody is at the screen: the window hidden, minimised or unfocused for
//! the lock time, or the system about to sleep. The UI locks on `visibilitychange` as well, but
//! the key lives here, and a webview's script can be throttled, suspended or wrong.

use crate::shell::Shell;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime, Window, WindowEvent};

/// The label of the app's one window (tauri.conf.json).
const MAIN_WINDOW: &str = "main";

/// How often the watcher looks; the lock time is whole minutes.
const ROUND: Duration = Duration::from_secs(5);

/// Drops the key and tells the UI, which shows the lock screen at once.
fn lock<R: Runtime>(app: &AppHandle<R>, reason: &str) {
    if app.state::<Shell>().lock() {
        let _ = app.emit("locked", reason);
    }
}

/// For `Builder::on_window_event`: focus lost starts the away clock at that moment, focus back
/// stops it. A window that gets no focus events at all (Xvfb without a window manager) is
/// never counted away for lack of them.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if window.label() != MAIN_WINDOW {
        return;
    }
    // Events can come before `setup` has put the shell in place.
    let Some(shell) = window.try_state::<Shell>() else {
        return;
    };
    match event {
        WindowEvent::Focused(false) => shell.window_left(),
        WindowEvent::Focused(true) => shell.window_back(),
        _ => {}
    }
}

/// Minimised and hidden windows are seen by looking: not every platform sends an event for
/// them (GTK on Wayland says nothing when a window is minimised, but takes its focus). A
/// focused window in sight puts right a missed focus event.
fn look_at_window<R: Runtime>(app: &AppHandle<R>, shell: &Shell) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        return;
    };
    let minimised = window.is_minimized().unwrap_or(false);
    let visible = window.is_visible().unwrap_or(true);
    if minimised || !visible {
        shell.window_left();
    } else if window.is_focused().unwrap_or(false) {
        shell.window_back();
    }
}

/// Every round: the window's state, then the idle clock and the away clock. Both count with
/// the boot-time clock, so a suspend longer than the lock time locks on waking even where
/// the suspend itself went unannounced.
pub fn watch<R: Runtime>(app: AppHandle<R>) {
    std::thread::spawn(move || loop {
        std::thread::sleep(ROUND);
        let shell = app.state::<Shell>();
        look_at_window(&app, &shell);
        if let Some(reason) = shell.lock_due() {
            lock(&app, reason);
        }
    });
}

/// Locks as soon as logind announces a suspend. Without a system bus or logind (containers,
/// CI) one line says so and the boot-time idle clock covers suspend alone, as it does on other
/// platforms for now.
pub fn watch_suspend<R: Runtime>(app: AppHandle<R>) {
    #[cfg(target_os = "linux")]
    {
        let spawned = std::thread::Builder::new()
            .name("suspend-lock".into())
            .spawn(move || {
                let outcome = logind::system_bus()
                    .and_then(|bus| logind::on_suspend(&bus, || lock(&app, "suspend")));
                if let Err(e) = outcome {
                    eprintln!(
                        "Meldcode: no lock on suspend ({e}); the idle lock still counts sleep"
                    );
                }
            });
        if spawned.is_err() {
            eprintln!("Meldcode: no suspend lock (no thread); the idle lock still counts sleep");
        }
    }
    #[cfg(not(target_os = "linux"))]
    drop(app);
}

#[cfg(target_os = "linux")]
mod logind {
    use zbus::blocking::fdo::DBusProxy;
    use zbus::blocking::{proxy, Connection, Proxy};
    use zbus::names::BusName;
    use zbus::proxy::CacheProperties;
    use zbus::zvariant::OwnedFd;

    const LOGIND: &str = "org.freedesktop.login1";

    pub fn system_bus() -> zbus::Result<Connection> {
        Connection::system()
    }

    /// Calls `lock` whenever logind says the system is about to sleep (`PrepareForSleep(true)`),
    /// for as long as the bus is there. Returns only on failure.
    pub fn on_suspend(bus: &Connection, lock: impl Fn()) -> zbus::Result<()> {
        if !DBusProxy::new(bus)?.name_has_owner(BusName::try_from(LOGIND)?)? {
            return Err(zbus::Error::Failure("logind is not running".into()));
        }
        let manager = proxy::Builder::<Proxy>::new(bus)
            .destination(LOGIND)?
            .path("/org/freedesktop/login1")?
            .interface("org.freedesktop.login1.Manager")?
            .cache_properties(CacheProperties::No)
            .build()?;
        let announcements = manager.receive_signal("PrepareForSleep")?;
        // While this delay lock is held, logind waits for it (up to InhibitDelayMaxSec, 5 s by
        // default) before it suspends: the key is gone before memory is frozen, not dropped on
        // waking. Without it (a policy may refuse) the signal alone usually still wins the race.
        let mut delay = inhibit(&manager);
        for announcement in announcements {
            let going_to_sleep: bool = announcement.body().deserialize()?;
            if going_to_sleep {
                lock();
                delay = None;
            } else if delay.is_none() {
                delay = inhibit(&manager);
            }
        }
        Err(zbus::Error::Failure("the system bus went away".into()))
    }

    fn inhibit(manager: &Proxy) -> Option<OwnedFd> {
        let why = "Meldcode vergrendelt voordat het apparaat gaat slapen";
        manager
            .call("Inhibit", &("sleep", "Meldcode", why, "delay"))
            .ok()
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::logind;
    use std::io::{BufRead, BufReader, Read};
    use std::os::unix::net::UnixStream;
    use std::process::{Child, Command, Stdio};
    use std::sync::{mpsc, Arc, Mutex};
    use std::time::Duration;
    use zbus::blocking::{connection, Connection};

    const PATH: &str = "/org/freedesktop/login1";
    const MANAGER: &str = "org.freedesktop.login1.Manager";
    const WAIT: Duration = Duration::from_secs(10);

    /// A private dbus-daemon standing in for the system bus.
    struct Bus {
        daemon: Child,
        address: String,
        _dir: tempfile::TempDir,
    }

    impl Bus {
        fn start() -> Self {
            let dir = tempfile::tempdir().expect("temp dir");
            let mut daemon = Command::new("dbus-daemon")
                .args(["--session", "--nofork", "--print-address=1"])
                .arg(format!(
                    "--address=unix:path={}",
                    dir.path().join("bus").display()
                ))
                .stdout(Stdio::piped())
                // It complains that it cannot raise its fd limit, which does not matter here.
                .stderr(Stdio::null())
                .spawn()
                .expect("dbus-daemon (Debian package dbus-daemon)");
            let mut address = String::new();
            BufReader::new(daemon.stdout.take().expect("its stdout"))
                .read_line(&mut address)
                .expect("the bus address");
            assert!(!address.trim().is_empty(), "dbus-daemon gave no address");
            Self {
                daemon,
                address: address.trim().to_owned(),
                _dir: dir,
            }
        }

        fn connect(&self) -> connection::Builder<'_> {
            connection::Builder::address(self.address.as_str()).expect("a bus address")
        }
    }

    impl Drop for Bus {
        fn drop(&mut self) {
            let _ = self.daemon.kill();
            let _ = self.daemon.wait();
        }
    }

    /// logind as far as the suspend lock uses it: `Inhibit` hands out a delay lock, one end of a
    /// socket pair whose other end it keeps, to see when the lock is released.
    struct FakeLogind {
        taken: mpsc::Sender<String>,
        held: Arc<Mutex<Option<UnixStream>>>,
    }

    #[zbus::interface(name = "org.freedesktop.login1.Manager")]
    impl FakeLogind {
        fn inhibit(
            &self,
            what: &str,
            _who: &str,
            _why: &str,
            mode: &str,
        ) -> zbus::fdo::Result<zbus::zvariant::OwnedFd> {
            let (kept, given) =
                UnixStream::pair().map_err(|e| zbus::fdo::Error::Failed(e.to_string()))?;
            *self.held.lock().expect("held") = Some(kept);
            let _ = self.taken.send(format!("{what} {mode}"));
            Ok(std::os::fd::OwnedFd::from(given).into())
        }
    }

    fn announce(logind: &Connection, going_to_sleep: bool) {
        logind
            .emit_signal(
                None::<&str>,
                PATH,
                MANAGER,
                "PrepareForSleep",
                &(going_to_sleep,),
            )
            .expect("PrepareForSleep");
    }

    /// Whether the app still holds the delay lock: its end of the pair is open.
    fn still_held(kept: &UnixStream) -> bool {
        kept.set_nonblocking(true).expect("non-blocking");
        let held = matches!(
            (&*kept).read(&mut [0; 1]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
        );
        kept.set_nonblocking(false).expect("blocking");
        held
    }

    /// Whether the app lets go of the delay lock within `WAIT`.
    fn released(held: &Mutex<Option<UnixStream>>) -> bool {
        let kept = held.lock().expect("held").take().expect("a delay lock");
        kept.set_read_timeout(Some(WAIT)).expect("a read timeout");
        matches!((&kept).read(&mut [0; 1]), Ok(0))
    }

    #[test]
    fn a_suspend_announced_by_logind_locks_before_the_delay_lock_is_released() {
        let bus = Bus::start();
        let (taken, delay_taken) = mpsc::channel();
        let held = Arc::new(Mutex::new(None));
        let logind = bus
            .connect()
            .name("org.freedesktop.login1")
            .expect("the name")
            .serve_at(
                PATH,
                FakeLogind {
                    taken,
                    held: Arc::clone(&held),
                },
            )
            .expect("the manager")
            .build()
            .expect("fake logind on the bus");
        let app = bus.connect().build().expect("the app on the bus");
        // Each lock reports whether logind was still being held up at that moment.
        let (locked, lock_seen) = mpsc::channel();
        let held_at_lock = Arc::clone(&held);
        std::thread::spawn(move || {
            let _ = logind::on_suspend(&app, || {
                let guard = held_at_lock.lock().expect("held");
                let _ = locked.send(guard.as_ref().is_some_and(still_held));
            });
        });

        // The delay lock comes after the subscription, so from here no announcement is missed.
        let kind = delay_taken.recv_timeout(WAIT).expect("a delay lock");
        assert_eq!(kind, "sleep delay");
        assert!(lock_seen.try_recv().is_err(), "locked before any suspend");

        announce(&logind, true);
        let in_time = lock_seen
            .recv_timeout(WAIT)
            .expect("locked on PrepareForSleep(true)");
        assert!(in_time, "locked after letting the suspend go ahead");
        assert!(
            released(&held),
            "the delay lock was kept: the suspend is held up for nothing"
        );

        // Awake again: a fresh delay lock for the next suspend, and no lock on waking.
        announce(&logind, false);
        delay_taken.recv_timeout(WAIT).expect("a new delay lock");
        assert!(lock_seen.try_recv().is_err(), "locked on waking");
        announce(&logind, true);
        let in_time = lock_seen
            .recv_timeout(WAIT)
            .expect("locked on the second suspend");
        assert!(in_time);
        assert!(released(&held));
    }

    #[test]
    fn without_logind_on_the_bus_the_suspend_watch_gives_up_at_once() {
        let bus = Bus::start();
        let app = bus.connect().build().expect("the app on the bus");
        let outcome = logind::on_suspend(&app, || panic!("nothing to lock"));
        let error = outcome.expect_err("no logind").to_string();
        assert!(error.contains("logind is not running"), "{error}");
    }
}
