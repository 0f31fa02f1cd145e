//! The real `meldcode-server` binary as a child process: `init` on a data folder (SQLite, or
//! PostgreSQL by URL), then `serve --listen 127.0.0.1:0` as often as a test likes, each run
//! killed with SIGKILL (as a crash would) when the test says or when its guard is dropped.
//!
//! Every run appends its log (stderr) to one file, so a failing test can show what the
//! server said across restarts.
//!
//! Include it with `#[path = "support/server_process.rs"] mod server_process;`.

#![allow(dead_code)]

use meldcode_sync::Hash;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a starting server may take to listen before the test gives up on it.
const START_DEADLINE: Duration = Duration::from_secs(60);

/// What `init` printed.
pub struct Initialised {
    /// SHA-256 of the server's certificate ("Server certificate SHA-256: HEX").
    pub fingerprint: Hash,
    /// The first enrollment code, the last line of stdout.
    pub first_code: String,
}

/// The server's folder and database, and where its runs write their log.
pub struct ServerData {
    pub data: PathBuf,
    pub database_url: Option<String>,
    pub log: PathBuf,
}

impl ServerData {
    pub fn new(data: &Path, database_url: Option<&str>, log: &Path) -> Self {
        Self {
            data: data.to_owned(),
            database_url: database_url.map(str::to_owned),
            log: log.to_owned(),
        }
    }

    /// `meldcode-server --data DIR [--database-url URL]`, with nothing from the environment.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_meldcode-server"));
        cmd.arg("--data").arg(&self.data);
        if let Some(url) = &self.database_url {
            cmd.arg("--database-url").arg(url);
        }
        cmd.env_remove("DATABASE_URL")
            .env_remove("MELDCODE_SERVER_DATA")
            .env_remove("MELDCODE_SERVER_LOG")
            // A log to read, not a terminal's colours.
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        cmd
    }

    /// `init`: panics unless it succeeds.
    pub fn init(&self) -> Initialised {
        let out = self
            .command()
            .arg("init")
            .output()
            .expect("runs meldcode-server init");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "meldcode-server init failed ({}):\n--- stdout\n{stdout}--- stderr\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        let fingerprint = stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix("Server certificate SHA-256: "))
            .and_then(Hash::parse_hex)
            .unwrap_or_else(|| panic!("init prints the certificate's fingerprint:\n{stdout}"));
        let first_code = stdout
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or_else(|| panic!("init prints the first code on its last line:\n{stdout}"))
            .trim()
            .to_owned();
        Initialised {
            fingerprint,
            first_code,
        }
    }

    /// `serve --listen 127.0.0.1:0`, once it listens; its log goes to the end of `log`.
    pub fn serve(&self) -> Running {
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.log)
            .expect("opens the server's log file");
        let mut child = self
            .command()
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .expect("starts meldcode-server serve");
        let stdout = child.stdout.take().expect("the server's stdout is piped");
        let started = Instant::now();
        // The guard first, so a failure below still kills the server.
        let mut running = Running {
            child,
            _stdout: None,
            address: String::new(),
            started,
        };
        // The first line comes on a thread of its own: a server that hangs before it listens
        // must not hang the test.
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut stdout = BufReader::new(stdout);
            let mut line = String::new();
            loop {
                line.clear();
                match stdout.read_line(&mut line) {
                    Ok(0) | Err(_) => {
                        let _ = tx.send(None);
                        return;
                    }
                    Ok(_) => {
                        if let Some(address) = line.trim().strip_prefix("listening on ") {
                            let _ = tx.send(Some((address.to_owned(), stdout)));
                            return;
                        }
                    }
                }
            }
        });
        match rx.recv_timeout(START_DEADLINE) {
            Ok(Some((address, stdout))) => {
                running.address = address;
                // Kept open: a server writing to a closed pipe would fail.
                running._stdout = Some(stdout);
                running
            }
            Ok(None) => {
                running.kill();
                panic!(
                    "meldcode-server serve ended before it listened (after {:?}); the end of its log:\n{}",
                    started.elapsed(),
                    self.log_tail(40)
                );
            }
            Err(_) => {
                running.kill();
                panic!(
                    "meldcode-server serve did not listen within {START_DEADLINE:?}; the end of its log:\n{}",
                    self.log_tail(40)
                );
            }
        }
    }

    /// The log's warnings and errors, of every run.
    pub fn log_warnings(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains(" WARN ") || l.contains(" ERROR "))
            .map(str::to_owned)
            .collect()
    }

    /// The last `lines` lines of the servers' log.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let all: Vec<&str> = log.lines().collect();
        all[all.len().saturating_sub(lines)..].join("\n")
    }
}

/// A running `meldcode-server serve`, killed with SIGKILL when dropped.
pub struct Running {
    child: Child,
    _stdout: Option<BufReader<ChildStdout>>,
    address: String,
    /// When it was started (not when it began to listen).
    pub started: Instant,
}

impl Running {
    pub fn url(&self) -> String {
        format!("https://{}", self.address)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// SIGKILL (`Child::kill`), as a crash would, and waits until the process is gone.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether the process ended by itself.
    pub fn exited(&mut self) -> Option<std::process::ExitStatus> {
        self.child.try_wait().ok().flatten()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.kill();
    }
}
