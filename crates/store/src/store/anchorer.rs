//! Anchoring chain heads off the recording path. Saving the vault and the keyring's counter after
//! every commit costs about two milliseconds (two fsyncs and a D-Bus call): done inline it made a
//! record seven times a bare insert. A thread of the session's own does it right after each
//! commit instead, keeping only the newest head when records come faster than it saves.

use crate::keyring::DeviceEntry;
use crate::vault::anchor::AnchoredHead;
use crate::vault::{lock_vault, RawVault};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::thread::JoinHandle;

enum Message {
    Anchor(AnchoredHead),
    /// Answered once everything sent before it is anchored.
    Flush(mpsc::Sender<()>),
}

pub(super) struct Anchorer {
    tx: Option<mpsc::Sender<Message>>,
    worker: Option<JoinHandle<()>>,
    /// Without a thread (the system refused one) the anchoring is done inline.
    inline: Option<(PathBuf, DeviceEntry)>,
}

/// Moves this device's anchored head forward in the vault (never back). The record is saved
/// whatever happens here; a failure is reported without personal data and the next commit
/// anchors again.
fn anchor(dir: &Path, entry: &mut DeviceEntry, head: AnchoredHead) {
    let result = (|| -> crate::error::Result<()> {
        let path = super::vault_path(dir);
        let _guard = lock_vault(&path)?;
        let mut vault = RawVault::read(&path)?.verify(entry)?;
        if vault.own_seq() >= head.seq {
            return Ok(());
        }
        vault.set_head(head);
        vault.save(&path, &entry.secret)?;
        entry.counter = Some(vault.counter);
        entry.own_seq = vault.own_seq();
        Ok(())
    })();
    if let Err(e) = result {
        eprintln!(
            "meldcode: chain head not anchored ({}); the next save tries again",
            e.code()
        );
    }
}

impl Anchorer {
    pub fn start(dir: PathBuf, entry: DeviceEntry) -> Self {
        let (tx, rx) = mpsc::channel::<Message>();
        let thread_dir = dir.clone();
        let mut thread_entry = entry.clone();
        let spawned = std::thread::Builder::new()
            .name("meldcode-anchor".into())
            .spawn(move || {
                let mut pending: Option<AnchoredHead> = None;
                while let Ok(first) = rx.recv() {
                    let mut flushes = Vec::new();
                    for message in std::iter::once(first).chain(rx.try_iter()) {
                        match message {
                            Message::Anchor(head) => {
                                if pending.as_ref().is_none_or(|p| head.seq > p.seq) {
                                    pending = Some(head);
                                }
                            }
                            Message::Flush(done) => flushes.push(done),
                        }
                    }
                    if let Some(head) = pending.take() {
                        anchor(&thread_dir, &mut thread_entry, head);
                    }
                    for done in flushes {
                        let _ = done.send(());
                    }
                }
            });
        match spawned {
            Ok(worker) => Self {
                tx: Some(tx),
                worker: Some(worker),
                inline: None,
            },
            Err(_) => Self {
                tx: None,
                worker: None,
                inline: Some((dir, entry)),
            },
        }
    }

    pub fn send(&mut self, head: AnchoredHead) {
        if let Some((dir, entry)) = &mut self.inline {
            anchor(dir, entry, head);
        } else if let Some(tx) = &self.tx {
            let _ = tx.send(Message::Anchor(head));
        }
    }

    /// Waits until every head sent so far is anchored.
    pub fn flush(&self) {
        if let Some(tx) = &self.tx {
            let (done, wait) = mpsc::channel();
            if tx.send(Message::Flush(done)).is_ok() {
                let _ = wait.recv();
            }
        }
    }
}

impl Drop for Anchorer {
    /// Locking the store waits for the last anchor.
    fn drop(&mut self) {
        drop(self.tx.take());
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}
