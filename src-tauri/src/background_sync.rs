//! Sync in the background (DESIGN.md §9), on tokio: a round after every commit, on the server's
//! push and at start, with backoff while the server cannot be reached. It never runs on the
//! UI's thread and never holds the dossier over the network: the dossier only hands its sealed
//! events to the spool and takes received pages from it, each a short local transaction. While
//! the app is locked the round goes on with the spool alone, which needs no PIN and decrypts
//! nothing; what arrived is taken into the dossier at the next unlock.

use crate::shell::{guard, Shell};
use meldcode_store::sync::spool::Spool;
use meldcode_store::sync::SyncStatus;
use meldcode_store::{ErrorBody, Store, StoreError};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::{watch, Notify};

/// How long one wait on the server's stream lasts before it is opened again.
const LISTEN: Duration = Duration::from_secs(60);
const FIRST_RETRY: Duration = Duration::from_secs(2);
const LAST_RETRY: Duration = Duration::from_secs(300);

/// The store's code for a refusal because the school revoked this device.
const REVOKED: &str = "server_revoked";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Link {
    Unenrolled,
    Online,
    Offline,
}

pub struct BackgroundSync {
    kick: Notify,
    link: watch::Sender<Link>,
    /// Counts finished rounds, so that the push listener waits for the round it asked for.
    rounds: watch::Sender<u64>,
    /// One round at a time, whether the loop or *Nu synchroniseren* runs it. Holds the spool
    /// the rounds use, opened at the first round after start or enrollment.
    one_round: Mutex<Option<Spool>>,
}

impl BackgroundSync {
    pub fn new(enrolled: bool) -> Self {
        Self {
            kick: Notify::new(),
            link: watch::channel(if enrolled {
                Link::Online
            } else {
                Link::Unenrolled
            })
            .0,
            rounds: watch::channel(0).0,
            one_round: Mutex::new(None),
        }
    }

    /// Something was committed, the app was unlocked or the device enrolled: a round soon.
    /// Kicks while a round runs collapse into one more round after it.
    pub fn kick(&self) {
        self.kick.notify_one();
    }

    pub fn enrolled(&self) {
        *guard(&self.one_round) = None;
        self.link.send_replace(Link::Online);
        self.kick();
    }
}

fn next_retry(previous: Option<Duration>) -> Duration {
    previous.map_or(FIRST_RETRY, |d| (d * 2).min(LAST_RETRY))
}

pub fn start<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(rounds(app.clone()));
    tauri::async_runtime::spawn(listen(app));
}

/// The loop: wait for a kick (or the retry time after a failed round), run a round off the
/// async threads, repeat. Idle, it waits and costs nothing.
async fn rounds<R: Runtime>(app: AppHandle<R>) {
    let mut retry: Option<Duration> = None;
    app.state::<BackgroundSync>().kick();
    loop {
        {
            let sync = app.state::<BackgroundSync>();
            match retry {
                None => sync.kick.notified().await,
                Some(wait) => {
                    tokio::select! {
                        () = sync.kick.notified() => {}
                        () = tokio::time::sleep(wait) => {}
                    }
                }
            }
        }
        let handle = app.clone();
        let outcome = tauri::async_runtime::spawn_blocking(move || run_round(&handle)).await;
        retry = match outcome {
            Ok(Err(e)) if e.code == "server_unreachable" => Some(next_retry(retry)),
            _ => None,
        };
    }
}

/// Waits on the server's stream for news and kicks a round when there is some. Blocks a thread
/// of the blocking pool while it waits; the server writes only when something arrives (and a
/// keep-alive now and then), so an idle device does nothing.
async fn listen<R: Runtime>(app: AppHandle<R>) {
    let mut retry: Option<Duration> = None;
    let mut last_news_cursor: Option<u64> = None;
    loop {
        let sync = app.state::<BackgroundSync>();
        let mut link = sync.link.subscribe();
        if *link.borrow_and_update() == Link::Unenrolled {
            let _ = link.wait_for(|l| *l != Link::Unenrolled).await;
            continue;
        }
        let dir = app.state::<Shell>().dir.clone();
        let waited = tauri::async_runtime::spawn_blocking(
            move || -> Result<(Option<u64>, u64), StoreError> {
                let Some(spool) = Spool::open_locked(&dir)? else {
                    return Err(StoreError::NotEnrolled);
                };
                let cursor = spool.cursor()?;
                Ok((spool.wait_for_news(LISTEN)?, cursor))
            },
        )
        .await;
        match waited {
            Ok(Ok((Some(news), cursor))) => {
                if taken_already(&app, news).await {
                    retry = None;
                    continue;
                }
                // News the round could not take (the cursor did not move since the last news)
                // must not turn into a loop of rounds.
                if last_news_cursor == Some(cursor) {
                    let wait = next_retry(retry);
                    retry = Some(wait);
                    tokio::time::sleep(wait).await;
                } else {
                    retry = None;
                }
                last_news_cursor = Some(cursor);
                let mut rounds = sync.rounds.subscribe();
                let before = *rounds.borrow_and_update();
                sync.kick();
                let _ = rounds.wait_for(|n| *n > before).await;
            }
            Ok(Ok((None, _))) => retry = None,
            Ok(Err(StoreError::NotEnrolled)) => {
                sync.link.send_replace(Link::Unenrolled);
            }
            _ => {
                // The stream was refused or broke: a round finds out why (no connection, or this
                // device revoked, which wipes it) and says so in the status line.
                sync.kick();
                let wait = next_retry(retry);
                retry = Some(wait);
                // Back sooner when a round reaches the server again.
                let _ = tokio::time::timeout(wait, link.wait_for(|l| *l == Link::Online)).await;
            }
        }
    }
}

/// Whether the round running now (or the last one) already pulled past the server's cursor
/// `news`: this device's own upload is news on the server too, and the round that sent it
/// pulls after sending. Without this, every save would cost a second round. No round yet (no
/// spool kept): not taken.
async fn taken_already<R: Runtime>(app: &AppHandle<R>, news: u64) -> bool {
    let app = app.clone();
    let cursor = tauri::async_runtime::spawn_blocking(move || {
        // Waits for a round in progress to end, then reads the spool it used.
        guard(&app.state::<BackgroundSync>().one_round)
            .as_ref()
            .map(Spool::cursor)
    })
    .await;
    matches!(cursor, Ok(Some(Ok(cursor))) if cursor >= news)
}

/// One round: hand over (when unlocked), exchange through the spool, take what arrived (when
/// unlocked). Tells the UI the status after it; a revoked device wipes itself.
pub fn run_round<R: Runtime>(app: &AppHandle<R>) -> Result<SyncStatus, ErrorBody> {
    let shell = app.state::<Shell>();
    let sync = app.state::<BackgroundSync>();
    let result = {
        let mut spool = guard(&sync.one_round);
        round(&shell, &sync, &mut spool)
    };
    sync.rounds.send_modify(|n| *n += 1);
    // Colleagues' records were taken into the dossier: the open screens read them again.
    if matches!(result, Ok(taken) if taken > 0) {
        let _ = app.emit("received", ());
    }
    let result = result.map(|_| ());
    if let Err(e) = &result {
        if e.code == REVOKED {
            let revoked = e.clone();
            wipe(app);
            return Err(revoked);
        }
    }
    let status = status(&shell);
    let _ = app.emit("sync", &status);
    result.map(|()| status)
}

/// Returns how many received events were taken into the dossier.
fn round(
    shell: &Shell,
    sync: &BackgroundSync,
    cached: &mut Option<Spool>,
) -> Result<u64, ErrorBody> {
    if let Some(Err(e)) = shell.with_open_store(Store::hand_over) {
        eprintln!(
            "Meldcode: hand-over to the sync spool failed ({})",
            e.code()
        );
    }
    if cached.is_none() {
        *cached = Spool::open_locked(&shell.dir)?;
    }
    let Some(spool) = cached.as_mut() else {
        sync.link.send_replace(Link::Unenrolled);
        return Ok(0);
    };
    let exchanged = spool.round();
    if spool.revoked()? {
        return Err(ErrorBody {
            code: REVOKED.into(),
            message: "De school heeft dit apparaat ingetrokken.".into(),
        });
    }
    // What arrived before a failure is taken too.
    let taken = match shell.with_open_store(Store::take_received) {
        Some(Err(e)) => {
            eprintln!(
                "Meldcode: received events could not be taken ({})",
                e.code()
            );
            return Err(e.into());
        }
        Some(Ok(n)) => n,
        None => 0,
    };
    match &exchanged {
        Ok(_) => sync.link.send_replace(Link::Online),
        Err(StoreError::ServerUnreachable { .. }) => sync.link.send_replace(Link::Offline),
        Err(_) => *sync.link.borrow(),
    };
    exchanged.map(|_| taken).map_err(ErrorBody::from)
}

/// The status line's facts: from the dossier when unlocked (it knows what is not handed over
/// yet), else from the spool alone.
pub fn status(shell: &Shell) -> SyncStatus {
    let from_store = shell.with_open_store(Store::sync_status);
    match from_store {
        Some(Ok(status)) => status,
        _ => match Spool::open_locked(&shell.dir) {
            Ok(Some(spool)) => spool
                .status(0)
                .unwrap_or_else(|_| SyncStatus::not_enrolled()),
            _ => SyncStatus::not_enrolled(),
        },
    }
}

/// The school revoked this device: everything of Meldcode on it goes, the webview's storage
/// too, and the UI returns to the first-run screen.
fn wipe<R: Runtime>(app: &AppHandle<R>) {
    let shell = app.state::<Shell>();
    shell.drop_store();
    // The rounds' spool is closed before its file goes.
    *guard(&app.state::<BackgroundSync>().one_round) = None;
    if let Err(e) = Store::wipe(&shell.dir) {
        eprintln!("Meldcode: wiping after revocation failed ({})", e.code());
    }
    for window in app.webview_windows().values() {
        let _ = window.clear_all_browsing_data();
    }
    if let Ok(cache) = app.path().app_cache_dir() {
        let _ = std::fs::remove_dir_all(cache);
    }
    app.state::<BackgroundSync>()
        .link
        .send_replace(Link::Unenrolled);
    let _ = app.emit("wiped", ());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_double_up_to_five_minutes() {
        let mut wait = None;
        let mut seen = Vec::new();
        for _ in 0..10 {
            let next = next_retry(wait);
            seen.push(next.as_secs());
            wait = Some(next);
        }
        assert_eq!(seen, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
    }
}
