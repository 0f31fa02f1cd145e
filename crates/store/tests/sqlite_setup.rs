//! SQLCipher finishes its set-up after SQLite marks itself initialised: connections opened at
//! once on several threads at a process's start must all have it (`sqlcipher_export`, which
//! backups use). The race is at a process's start only, so the test runs itself as 20 fresh
//! processes. Without `db::initialise` about one process in ten lost the race here.

use meldcode_store::db;
use std::process::Command;
use std::sync::{Arc, Barrier};

const CHILD: &str = "MELDCODE_SQLITE_SETUP_CHILD";

fn open_at_once_and_check() {
    let tmp = tempfile::tempdir().expect("tmp");
    let threads = 16;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|i| {
            let path = tmp.path().join(format!("{i}.db"));
            let start = start.clone();
            std::thread::spawn(move || {
                let key = meldcode_store::crypto::random_key().expect("key");
                start.wait();
                let conn = db::open(&path, &key, true).expect("opened");
                conn.query_row(
                    "SELECT count(*) FROM pragma_function_list WHERE name = 'sqlcipher_export'",
                    [],
                    |r| r.get::<_, i64>(0),
                )
                .expect("function list")
            })
        })
        .collect();
    for handle in handles {
        assert_eq!(
            handle.join().expect("thread"),
            1,
            "sqlcipher_export missing"
        );
    }
}

#[test]
fn connections_opened_at_once_at_start_all_have_sqlcipher() {
    if std::env::var_os(CHILD).is_some() {
        open_at_once_and_check();
        return;
    }
    let me = std::env::current_exe().expect("test binary");
    for run in 0..20 {
        let status = Command::new(&me)
            .args([
                "--exact",
                "connections_opened_at_once_at_start_all_have_sqlcipher",
                "--quiet",
            ])
            .env(CHILD, "1")
            .output()
            .expect("child");
        assert!(
            status.status.success(),
            "process {run}: {}",
            String::from_utf8_lossy(&status.stdout)
        );
    }
}
