//! A throwaway PostgreSQL cluster for tests: `initdb` in a temporary folder, started with
//! `pg_ctl` on a free port of 127.0.0.1 (and a Unix socket in that folder, never on another
//! address), trust authentication, `fsync=on`.
//!
//! PostgreSQL refuses to run as root, and CI runs as root: there the cluster's programs run as
//! the `postgres` user that Debian's package creates (`runuser -u postgres --`), in a folder
//! handed to that user; otherwise they run as whoever runs the tests. The clients (`createdb`,
//! `pg_dump`, the server under test) connect over TCP as the cluster's superuser `meldcode`.
//!
//! `Drop` stops the cluster and removes its folder. A cluster kept in a `static` is never
//! dropped, and a test binary may be killed: a small watchdog (a shell of its own process
//! group, so Ctrl-C leaves it to clean up) stops the cluster and removes its folder once the
//! test process is gone.
//!
//! Include it with `#[path = "support/postgres_cluster.rs"] mod postgres_cluster;`.

#![allow(dead_code)]

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::Mutex;

/// The cluster's superuser, also the name of the database `url` points at.
const SUPERUSER: &str = "meldcode";
const DATABASE: &str = "meldcode";
/// The unprivileged user PostgreSQL runs as when the tests run as root (Debian's package).
const SYSTEM_USER: &str = "postgres";

pub struct TempCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    /// Run the server's programs as `postgres` (the tests run as root).
    as_system_user: bool,
    watchdog: Mutex<Option<Child>>,
}

impl TempCluster {
    /// A new cluster, running, with the database `meldcode` created. Panics with the reason
    /// (and the server's log) when it cannot.
    pub fn start() -> TempCluster {
        let bin = bin_dir();
        let as_system_user = is_root();
        let dir = tempfile::Builder::new()
            .prefix("meldcode-pg-")
            .tempdir()
            .expect("creates a temporary folder for the cluster");
        std::fs::create_dir(dir.path().join("socket")).expect("creates the socket folder");
        if as_system_user {
            hand_to_system_user(dir.path());
        }
        let mut cluster = TempCluster {
            dir,
            bin,
            port: 0,
            as_system_user,
            watchdog: Mutex::new(None),
        };
        cluster.initdb();
        // The free port is only free when we looked: another process may take it before the
        // server binds it, so try a few.
        let mut attempts = 0;
        loop {
            cluster.port = free_port();
            let _ = std::fs::remove_file(cluster.log_file());
            match cluster.try_start() {
                Ok(()) => break,
                Err(log) if attempts < 4 && log.contains("could not bind") => attempts += 1,
                Err(log) => panic!(
                    "PostgreSQL did not start on 127.0.0.1:{}; its log:\n{log}",
                    cluster.port
                ),
            }
        }
        cluster.spawn_watchdog();
        cluster.create_database(DATABASE);
        cluster
    }

    /// `postgres://meldcode@127.0.0.1:PORT/meldcode`.
    pub fn url(&self) -> String {
        self.url_of(DATABASE)
    }

    /// The URL of another database of this cluster.
    pub fn url_of(&self, database: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{database}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The folder of the cluster's Unix socket (`host=` of a libpq connection string).
    pub fn socket_dir(&self) -> PathBuf {
        self.dir.path().join("socket")
    }

    /// Creates the database `name` (an SQL identifier: letters, digits, `_`) and returns its URL.
    pub fn create_database(&self, name: &str) -> String {
        let out = self.client("createdb").arg(name).output();
        check(out, &format!("createdb {name}"));
        self.url_of(name)
    }

    /// `pg_dump` of the database `meldcode`, plain SQL: everything a thief of the database
    /// would read.
    pub fn pg_dump(&self) -> String {
        self.pg_dump_of(DATABASE)
    }

    pub fn pg_dump_of(&self, database: &str) -> String {
        let out = self
            .client("pg_dump")
            .args(["--format=plain", "--no-owner", "--dbname", database])
            .output();
        let out = check(out, &format!("pg_dump {database}"));
        String::from_utf8(out.stdout).expect("pg_dump writes UTF-8")
    }

    /// Writes every changed page to the data files, as the next checkpoint would; the files
    /// of relations rewritten since (`VACUUM FULL`) are removed.
    pub fn checkpoint(&self) {
        let out = self
            .client("psql")
            .args(["--dbname", DATABASE, "--quiet", "--command", "CHECKPOINT"])
            .output();
        check(out, "CHECKPOINT");
    }

    /// Every file of every database's tables and indexes (`base/`; not the WAL).
    pub fn table_files(&self) -> Vec<PathBuf> {
        fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
            for entry in std::fs::read_dir(dir)
                .expect("reads the data folder")
                .flatten()
            {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        walk(&self.data_dir().join("base"), &mut files);
        files
    }

    /// Stops the server as a crash would (`pg_ctl stop -m immediate`: no checkpoint, the next
    /// start replays the WAL).
    pub fn stop(&self) {
        self.pg_ctl_stop("immediate");
    }

    /// Stops the server as an operator would (`pg_ctl stop -m fast`: connections are told
    /// and closed, a checkpoint is written).
    pub fn stop_fast(&self) {
        self.pg_ctl_stop("fast");
    }

    fn pg_ctl_stop(&self, mode: &str) {
        let out = self
            .server_program("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", mode, "-w", "stop"])
            .output();
        check(out, &format!("pg_ctl stop -m {mode}"));
    }

    /// Starts the server again on the same port and folder, after `stop`.
    pub fn restart(&self) {
        if let Err(log) = self.try_start() {
            panic!(
                "PostgreSQL did not start again on 127.0.0.1:{}; its log:\n{log}",
                self.port
            );
        }
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log_file(&self) -> PathBuf {
        self.dir.path().join("postgres.log")
    }

    /// A program of the server's (initdb, pg_ctl), run as the user the cluster belongs to.
    fn server_program(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        let mut cmd = if self.as_system_user {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", SYSTEM_USER, "--"]).arg(program);
            cmd
        } else {
            Command::new(program)
        };
        // The tests' working folder may be closed to the `postgres` user.
        cmd.current_dir(self.dir.path()).stdin(Stdio::null());
        cmd
    }

    /// A client program (createdb, pg_dump), connecting over TCP as the superuser.
    fn client(&self, name: &str) -> Command {
        let mut cmd = Command::new(self.bin.join(name));
        cmd.args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
            .args(["--username", SUPERUSER, "--no-password"])
            .env_remove("PGPASSWORD")
            .env_remove("PGSERVICE")
            .stdin(Stdio::null());
        cmd
    }

    fn initdb(&self) {
        let out = self
            .server_program("initdb")
            .arg("-D")
            .arg(self.data_dir())
            .args([
                "--username",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
            ])
            // Only the cluster's creation skips its fsyncs; the server runs with fsync=on.
            .arg("--no-sync")
            .output();
        check(out, "initdb");
        let socket = self.socket_dir();
        let settings = format!(
            "\n# meldcode tests\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{}'\n\
             fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nshared_buffers = '32MB'\n\
             max_connections = 100\n",
            socket.display()
        );
        let conf = self.data_dir().join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).expect("reads postgresql.conf");
        text.push_str(&settings);
        std::fs::write(&conf, text).expect("writes postgresql.conf");
    }

    /// `pg_ctl start` on `self.port`; the server's log when it fails.
    fn try_start(&self) -> Result<(), String> {
        let log = self.log_file();
        let out = self
            .server_program("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60"])
            .args([
                "-o",
                &format!("-p {} -c fsync=on -c listen_addresses=127.0.0.1", self.port),
            ])
            .arg("start")
            // pg_ctl's own output only; the server writes to the log.
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .output()
            .expect("runs pg_ctl");
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{}{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr),
                std::fs::read_to_string(&log).unwrap_or_default()
            ))
        }
    }

    fn spawn_watchdog(&self) {
        let runuser = if self.as_system_user {
            format!("runuser -u {SYSTEM_USER} -- ")
        } else {
            String::new()
        };
        let script = format!(
            "while kill -0 \"$1\" 2>/dev/null; do sleep 1; done; \
             {runuser}\"$2\" -D \"$3\" -m immediate -w stop >/dev/null 2>&1; rm -rf \"$4\""
        );
        let child = Command::new("sh")
            .arg("-c")
            .arg(script)
            .arg("meldcode-pg-watchdog")
            .arg(std::process::id().to_string())
            .arg(self.bin.join("pg_ctl"))
            .arg(self.data_dir())
            .arg(self.dir.path())
            .current_dir("/")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("starts the cluster's watchdog");
        *self
            .watchdog
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(child);
    }
}

impl Drop for TempCluster {
    fn drop(&mut self) {
        let watchdog = self
            .watchdog
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(mut child) = watchdog {
            let _ = child.kill();
            let _ = child.wait();
        }
        // Already stopped by a test is fine; the folder goes with `self.dir`.
        let _ = self
            .server_program("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// The newest `/usr/lib/postgresql/<version>/bin` that has `initdb`.
fn bin_dir() -> PathBuf {
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version: u32 = entry.file_name().to_str()?.parse().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .max_by_key(|(version, _)| *version);
    match newest {
        Some((_, bin)) => bin,
        None => panic!(
            "no PostgreSQL server found in /usr/lib/postgresql/*/bin (initdb, pg_ctl): \
             install postgresql (apt: `sudo apt-get install postgresql`, or scripts/setup.sh)"
        ),
    }
}

/// The effective user id is 0: from `/proc/self/status`, else `id -u`.
fn is_root() -> bool {
    let from_proc = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let line = status.lines().find(|l| l.starts_with("Uid:"))?;
            // Uid: real effective saved filesystem
            line.split_whitespace().nth(2).map(|euid| euid == "0")
        });
    from_proc.unwrap_or_else(|| {
        let out = Command::new("id").arg("-u").output().expect("runs id -u");
        String::from_utf8_lossy(&out.stdout).trim() == "0"
    })
}

/// Gives the cluster's folder to the `postgres` user and checks that it can reach it (a
/// `TMPDIR` inside root's home would not do).
fn hand_to_system_user(dir: &Path) {
    let exists = Command::new("id")
        .arg("-u")
        .arg(SYSTEM_USER)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        exists,
        "the tests run as root, and PostgreSQL refuses to: they run it as the user `{SYSTEM_USER}`, \
         which does not exist; install postgresql (apt), which creates it"
    );
    let out = Command::new("chown")
        .arg("-R")
        .arg(format!("{SYSTEM_USER}:"))
        .arg(dir)
        .output();
    check(out, "chown the cluster's folder to postgres");
    let reachable = Command::new("runuser")
        .args(["-u", SYSTEM_USER, "--", "test", "-w"])
        .arg(dir)
        .current_dir("/")
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        reachable,
        "the user `{SYSTEM_USER}` cannot write {}: set TMPDIR to a folder it can reach (e.g. /tmp)",
        dir.display()
    );
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("finds a free port on 127.0.0.1")
}

fn check(out: std::io::Result<Output>, what: &str) -> Output {
    let out = out.unwrap_or_else(|e| panic!("{what}: could not run it: {e}"));
    assert!(
        out.status.success(),
        "{what} failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}
