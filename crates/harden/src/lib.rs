//! Process hardening shared by the app and the CLI, with no dependency on either: a crash must
//! not leave pupil data or the database key on disk in a core file.

/// Turns core dumps off for this process and everything it starts.
///
/// Call it first thing in `main`, before any thread exists and before any key is in memory.
///
/// - `setrlimit(RLIMIT_CORE, 0, 0)`: no core file, and with the hard limit at 0 nothing in the
///   process (or a child, which inherits the limit) can raise it again. Core patterns that pipe
///   to a collector (systemd-coredump, apport) ignore this limit, hence also:
/// - `prctl(PR_SET_DUMPABLE, 0)`: the kernel writes no dump at all, piped or not, and other
///   processes of the same user can no longer attach a debugger or read `/proc/<pid>/mem`.
///   Its price: xdg-desktop-portal cannot read `/proc/<pid>/root` and refuses portal calls from
///   this process (a file chooser, for instance); the app uses none today.
///
/// Both are tried even if one fails; the first error is returned.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn disable_core_dumps() -> std::io::Result<()> {
    use rustix::process::{setrlimit, DumpableBehavior, Resource, Rlimit};
    let limit = setrlimit(
        Resource::Core,
        Rlimit {
            current: Some(0),
            maximum: Some(0),
        },
    );
    let dumpable = rustix::process::set_dumpable_behavior(DumpableBehavior::NotDumpable);
    limit.and(dumpable).map_err(std::io::Error::from)
}

/// Elsewhere there is nothing to do yet: the app refuses to run without a keyring on other
/// platforms today, and each has its own crash reporter (macOS's ReportCrash, Windows Error
/// Reporting) to be switched off when that platform is supported.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn disable_core_dumps() -> std::io::Result<()> {
    Ok(())
}

/// The "Max core file size" row of /proc/<pid>/limits, soft and hard: what the kernel enforces,
/// read back rather than trusted from the call (the tests of the app and the CLI use it).
pub fn core_file_limits(pid: u32) -> std::io::Result<(String, String)> {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits"))?;
    let mut fields = limits
        .lines()
        .find_map(|l| l.strip_prefix("Max core file size"))
        .unwrap_or_default()
        .split_whitespace();
    match (fields.next(), fields.next()) {
        (Some(soft), Some(hard)) => Ok((soft.to_owned(), hard.to_owned())),
        _ => Err(std::io::Error::other("no core file size in the limits")),
    }
}

#[cfg(all(test, any(target_os = "linux", target_os = "android")))]
mod tests {
    use super::*;

    fn core_limits() -> (String, String) {
        core_file_limits(std::process::id()).expect("/proc/self/limits")
    }

    // One test only: it changes the whole test process, which is the point.
    #[test]
    fn after_the_call_the_core_limit_is_zero_and_the_process_is_not_dumpable() {
        disable_core_dumps().expect("core dumps disabled");
        assert_eq!(core_limits(), ("0".to_owned(), "0".to_owned()));
        assert_eq!(
            rustix::process::dumpable_behavior().expect("PR_GET_DUMPABLE"),
            rustix::process::DumpableBehavior::NotDumpable
        );
        // Lowering an already-zero limit is allowed: a second call does not turn into a warning.
        disable_core_dumps().expect("a second call");
    }
}
