//! A crash of a running `meldcode` writes no core file, made for real: the CLI is started with
//! the core limit raised to unlimited, killed with a signal whose default action dumps core, and
//! its folder is searched for the dump. A plain shell crashed the same way shows whether this
//! machine would have written one at all (`/proc/sys/kernel/core_pattern` decides that).
#![cfg(target_os = "linux")]

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// Raises the core limit as far as the hard limit allows before running the rest: what a
/// careless session or a hostile launcher would hand the process.
const RAISE_CORE_LIMIT: &str =
    r#"ulimit -c unlimited 2>/dev/null || ulimit -S -c "$(ulimit -H -c)""#;

/// `meldcode apply` reading its requests from stdin: a real, running CLI that waits for as long
/// as stdin stays open, without a keyring or a store.
fn start_waiting_meldcode(dir: &Path) -> Child {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            r#"{RAISE_CORE_LIMIT}; exec "$0" --data-dir "$1" apply"#
        ))
        .arg(env!("CARGO_BIN_EXE_meldcode"))
        .arg(dir.join("data"))
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start meldcode")
}

/// Until the process is `meldcode` (the shell has exec'd) and asleep, i.e. blocked reading
/// stdin, past everything `main` does first.
fn wait_until_waiting(pid: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // The state follows the command name, which is in parentheses and may hold spaces.
        let state = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .unwrap_or_default()
            .to_owned();
        if comm.trim() == "meldcode" && state == "S" {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "meldcode did not start waiting on stdin (comm {comm:?}, state {state:?})"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send(signal: &str, pid: u32) {
    let sent = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(sent.success(), "kill -{signal} {pid}");
}

/// Files named core* in `dir`, the crashed process's working directory.
fn core_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read the temp dir")
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with("core"))
        .collect()
}

fn core_limits(pid: u32) -> (String, String) {
    meldcode_harden::core_file_limits(pid).expect("/proc/<pid>/limits")
}

/// A plain shell, crashed the same way: whether this machine writes a dump at all.
fn control() -> (ExitStatus, Vec<String>) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{RAISE_CORE_LIMIT}; kill -QUIT $$"))
        .current_dir(tmp.path())
        .status()
        .expect("run the control shell");
    (status, core_files(tmp.path()))
}

fn print_the_machines_side() {
    let pattern = std::fs::read_to_string("/proc/sys/kernel/core_pattern").unwrap_or_default();
    let raised = Command::new("sh")
        .arg("-c")
        .arg(format!("{RAISE_CORE_LIMIT}; ulimit -c"))
        .output()
        .expect("ask sh for the raised limit");
    let (status, cores) = control();
    println!("core_pattern: {}", pattern.trim());
    println!(
        "core limit after raising it in sh: {}",
        String::from_utf8_lossy(&raised.stdout).trim()
    );
    println!(
        "control (sh, kill -QUIT $$): signal {:?}, core dumped: {}, core files: {cores:?}",
        status.signal(),
        status.core_dumped()
    );
}

/// SIGQUIT and SIGABRT (what an abort after a double panic raises) dump core by default. SIGSEGV
/// is left out: std's stack-overflow handler takes a SEGV sent by `kill` once and carries on.
#[test]
fn a_running_meldcode_killed_by_a_dumping_signal_writes_no_core_file() {
    print_the_machines_side();
    for (signal, number) in [("QUIT", 3), ("ABRT", 6)] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let mut child = start_waiting_meldcode(tmp.path());
        // Held open until the signal has done its work, so that meldcode cannot just finish.
        let stdin = child.stdin.take();
        wait_until_waiting(child.id());
        send(signal, child.id());
        let status = child.wait().expect("wait for meldcode");
        let mut stderr = String::new();
        if let Some(mut pipe) = child.stderr.take() {
            pipe.read_to_string(&mut stderr).expect("read stderr");
        }
        drop(stdin);
        let cores = core_files(tmp.path());
        println!(
            "meldcode, kill -{signal}: signal {:?}, core dumped: {}, core files: {cores:?}",
            status.signal(),
            status.core_dumped()
        );
        assert_eq!(
            status.signal(),
            Some(number),
            "killed by SIG{signal}: {stderr}"
        );
        assert!(!status.core_dumped(), "SIG{signal} dumped core: {stderr}");
        assert!(cores.is_empty(), "SIG{signal} left {cores:?}");
        assert!(
            !stderr.contains("could not disable core dumps"),
            "hardening failed: {stderr}"
        );
    }
}

#[test]
fn a_running_meldcode_has_a_core_file_size_limit_of_zero() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut child = start_waiting_meldcode(tmp.path());
    let stdin = child.stdin.take();
    wait_until_waiting(child.id());
    let limits = core_limits(child.id());
    child.kill().expect("stop meldcode");
    child.wait().expect("wait for meldcode");
    drop(stdin);
    assert_eq!(limits, ("0".to_owned(), "0".to_owned()));
}
