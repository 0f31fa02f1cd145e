//! The whole product through its processes: a real `meldcode-server` on 127.0.0.1 (SQLite, or
//! PostgreSQL by URL) and two devices driven with the `meldcode` CLI, each in a folder of its
//! own, against a real Secret Service. The coordinator's device enrolls, adds a teacher and makes
//! a code for her device; the teacher's device joins, receives only the case she is involved in,
//! records in it, and that record reaches the coordinator. A revoked device is refused while the
//! other goes on. Afterwards nothing the server keeps (its folder, the PostgreSQL dump, its log)
//! holds a name or a fact in the clear.
//!
//! Run under the keyring (the CLI needs the OS keyring), with the CLI built:
//! `cargo build -p meldcode-cli && bash scripts/with-keyring.sh cargo test -p meldcode-server --test through_processes`

#[path = "support/postgres_cluster.rs"]
mod postgres_cluster;
#[path = "support/server_process.rs"]
mod server_process;

use postgres_cluster::TempCluster;
use serde_json::Value;
use server_process::ServerData;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const COORDINATOR: &str = "Anouk Jansen";
const COORDINATOR_PIN: &str = "482913";
const TEACHER: &str = "Bea Bakker";
const TEACHER_PIN: &str = "739164";

const SANNE_FACTS: &str = "Blauwe plek op de linker bovenarm.";
const TIM_FACTS: &str = "Blauwe plek op de rechter onderarm.";
const BEA_FACTS: &str = "Zei dat papa boos was.";

/// What must never be on the server in the clear: pupils, parents, staff, facts, groups.
const SECRETS: &[&str] = &[
    "Sanne",
    "Tim Visser",
    "Visser",
    "Marieke",
    "Anouk",
    "Jansen",
    "Bea Bakker",
    "Bakker",
    "Blauwe plek",
    "papa boos",
    "groep 5",
    "moeder",
];

#[test]
fn two_devices_and_a_server_on_sqlite() {
    scenario(None);
}

#[test]
fn two_devices_and_a_server_on_postgresql() {
    let cluster = TempCluster::start();
    scenario(Some(&cluster));
}

/// The `meldcode` CLI: built by `cargo build -p meldcode-cli` into the same target folder.
fn cli_binary() -> PathBuf {
    let path = Path::new(env!("CARGO_BIN_EXE_meldcode-server")).with_file_name("meldcode");
    assert!(
        path.is_file(),
        "build the CLI first: cargo build -p meldcode-cli (looked for {})",
        path.display()
    );
    path
}

fn require_keyring() {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        panic!(
            "DBUS_SESSION_BUS_ADDRESS is not set: the meldcode CLI needs the OS keyring. Run the \
             tests under the private Secret Service: \
             bash scripts/with-keyring.sh cargo test -p meldcode-server --test through_processes"
        );
    }
}

fn describe(what: &str, out: &Output) -> String {
    format!(
        "{what} ({}):\n--- stdout\n{}--- stderr\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Runs `meldcode-server ARGS` to the end; panics unless it succeeds.
fn run(server: &ServerData, args: &[&str]) -> String {
    let out = server
        .command()
        .args(args)
        .output()
        .expect("runs meldcode-server");
    assert!(
        out.status.success(),
        "{}",
        describe(&format!("meldcode-server {args:?} failed"), &out)
    );
    String::from_utf8(out.stdout).expect("meldcode-server writes UTF-8")
}

/// A device: a data folder and the user acting on it.
struct Device {
    cli: PathBuf,
    dir: PathBuf,
    user: &'static str,
    pin: &'static str,
}

impl Device {
    /// `meldcode --data-dir DIR --user USER ARGS` with the user's PIN, `stdin` fed in.
    fn run(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
        let mut cmd = Command::new(&self.cli);
        cmd.arg("--data-dir")
            .arg(&self.dir)
            .arg("--user")
            .arg(self.user)
            .args(args)
            .env("MELDCODE_PIN", self.pin)
            .env_remove("MELDCODE_USER")
            .env_remove("MELDCODE_DATA_DIR")
            .env_remove("MELDCODE_NEW_PIN")
            .env_remove("MELDCODE_ENROLL_CODE")
            .env_remove("MELDCODE_RECOVERY_KEY")
            .env_remove("MELDCODE_PROVISIONING")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("starts the meldcode CLI");
        let mut input = child.stdin.take().expect("the CLI's stdin is piped");
        if let Some(text) = stdin {
            input
                .write_all(text.as_bytes())
                .expect("writes the CLI's stdin");
        }
        drop(input);
        child
            .wait_with_output()
            .expect("waits for the meldcode CLI")
    }

    /// `--json ARGS`, which must succeed; its JSON output.
    fn json(&self, args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all, stdin, env);
        let what = format!(
            "meldcode {all:?} as {} in {}",
            self.user,
            self.dir.display()
        );
        assert!(
            out.status.success(),
            "{}",
            describe(&format!("{what} failed"), &out)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{}", describe(&format!("{what}: no JSON ({e})"), &out)))
    }

    /// `--json ARGS`, which must fail; the error's code (`{"error": {"code": …}}` on stdout).
    fn error_code(&self, args: &[&str]) -> String {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all, None, &[]);
        let what = format!("meldcode {all:?} as {}", self.user);
        assert!(
            !out.status.success(),
            "{}",
            describe(&format!("{what} succeeded, expected a refusal"), &out)
        );
        let body: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}",
                describe(&format!("{what}: no JSON error ({e})"), &out)
            )
        });
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{what}: an error says why: {body}");
        body["error"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no error code in {body}"))
            .to_owned()
    }

    fn sync(&self) -> Value {
        self.json(&["sync"], None, &[])
    }

    /// `case show --json ID`.
    fn case_json(&self, case: &str) -> Value {
        self.json(&["case", "show", case], None, &[])
    }

    /// `case show ID` for a person: the timeline with the authors' names.
    fn case_text(&self, case: &str) -> String {
        let out = self.run(&["case", "show", case], None, &[]);
        assert!(
            out.status.success(),
            "{}",
            describe("meldcode case show failed", &out)
        );
        String::from_utf8(out.stdout).expect("the CLI writes UTF-8")
    }

    fn verify(&self) -> Value {
        let report = self.json(&["verify"], None, &[]);
        assert!(
            report["events"].as_u64().is_some_and(|n| n > 0),
            "verify on {} checked no events: {report}",
            self.user
        );
        report
    }
}

/// The facts of every recorded signal in a `case show --json`.
fn signal_facts(view: &Value) -> Vec<String> {
    view["events"]
        .as_array()
        .expect("a case view has events")
        .iter()
        .filter(|e| e["payload"]["type"] == "signal_recorded")
        .map(|e| {
            e["payload"]["facts"]
                .as_str()
                .unwrap_or_else(|| panic!("a recorded signal has facts: {e}"))
                .to_owned()
        })
        .collect()
}

fn open_case(pupil_id: &str, pupil: &str, facts: &str) -> Vec<Value> {
    vec![
        serde_json::json!({"command": {"type": "open_case",
            "pupil": {"id": pupil_id, "full_name": pupil, "group": "groep 5",
                      "date_of_birth": "2017-09-14"},
            "parents": [{"full_name": format!("Marieke {}", pupil.split(' ').next_back().unwrap_or(pupil)),
                         "relation": "moeder"}]}}),
        serde_json::json!({"command": {"type": "record_signal",
            "observed_at": "2026-03-02T08:15:00Z", "context": "drop_off",
            "facts": facts, "child_words": "Ik ben gevallen.", "source": {"kind": "own"}}}),
    ]
}

/// The case id `apply` reports for its first request.
fn applied_case(applied: &Value) -> String {
    applied[0]["case_id"]
        .as_str()
        .unwrap_or_else(|| panic!("apply reports the case id: {applied}"))
        .to_owned()
}

/// `meldcode-server device list`: (id, coordinator?, the whole line) per device.
fn devices(server: &ServerData) -> Vec<(String, bool, String)> {
    run(server, &["device", "list"])
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut words = l.split_whitespace();
            let id = words.next().expect("a device line starts with its id");
            let role = words.next().expect("then coordinator or staff");
            assert!(
                role == "coordinator" || role == "staff",
                "unexpected line in device list: {l}"
            );
            (id.to_owned(), role == "coordinator", l.to_owned())
        })
        .collect()
}

fn head_devices(status: &Value) -> Vec<String> {
    status["heads"]
        .as_array()
        .unwrap_or_else(|| panic!("sync status lists heads: {status}"))
        .iter()
        .map(|h| {
            h["device_id"]
                .as_str()
                .unwrap_or_else(|| panic!("a head names its device: {h}"))
                .to_owned()
        })
        .collect()
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file under `dir`, with its contents.
fn files_under(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("reads the server's folder") {
        let path = entry.expect("reads a folder entry").path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            let bytes = std::fs::read(&path).expect("reads a file of the server's");
            files.push((path, bytes));
        }
    }
    files
}

fn assert_nothing_readable(what: &str, bytes: &[u8]) {
    for secret in SECRETS {
        assert!(
            !contains(bytes, secret),
            "{what} holds {secret:?} in the clear"
        );
    }
}

fn scenario(postgres: Option<&TempCluster>) {
    require_keyring();
    let cli = cli_binary();
    let tmp = tempfile::tempdir().expect("creates a temporary folder");
    let config = ServerData::new(
        &tmp.path().join("server"),
        postgres.map(TempCluster::url).as_deref(),
        &tmp.path().join("server.log"),
    );
    let first_code = config.init().first_code;
    let mut server = config.serve();
    let url = server.url();
    let a = Device {
        cli: cli.clone(),
        dir: tmp.path().join("device-a"),
        user: COORDINATOR,
        pin: COORDINATOR_PIN,
    };
    let b = Device {
        cli,
        dir: tmp.path().join("device-b"),
        user: TEACHER,
        pin: TEACHER_PIN,
    };

    // 1. A: a store of its own, enrolled with the server's first code; Bea, and a code for her
    // device; B joins with it.
    a.json(&["init", "--name", COORDINATOR], None, &[]);
    a.json(
        &["enroll", "--server", &url],
        None,
        &[("MELDCODE_ENROLL_CODE", &first_code)],
    );
    let bea = a.json(
        &["user", "add", "--name", TEACHER, "--role", "teacher"],
        None,
        &[("MELDCODE_NEW_PIN", TEACHER_PIN)],
    );
    let bea_id = bea["id"]
        .as_str()
        .unwrap_or_else(|| panic!("user add reports the id: {bea}"))
        .to_owned();
    let code = a.json(&["enrollment-code", TEACHER], None, &[]);
    let code = code["code"]
        .as_str()
        .unwrap_or_else(|| panic!("enrollment-code gives a code: {code}"))
        .to_owned();
    let joined = b.json(
        &["enroll", "--server", &url],
        None,
        &[
            ("MELDCODE_ENROLL_CODE", &code),
            ("MELDCODE_NEW_PIN", TEACHER_PIN),
        ],
    );
    assert!(
        joined.to_string().contains(TEACHER),
        "B joined for Bea: {joined}"
    );
    let listed = devices(&config);
    assert_eq!(listed.len(), 2, "two devices enrolled: {listed:?}");
    let a_id = listed
        .iter()
        .find(|d| d.1)
        .expect("device list has the coordinator's device")
        .0
        .clone();
    let b_id = listed
        .iter()
        .find(|d| !d.1)
        .expect("device list has B, marked staff")
        .0
        .clone();

    // 2. A records Sanne's case (Bea not involved) and Tim's (Bea involved) and syncs; B syncs.
    let sanne = applied_case(
        &a.json(
            &["apply", "-"],
            Some(
                &Value::Array(open_case(
                    "00000000-0000-0000-0000-000000000001",
                    "Sanne de Vries",
                    SANNE_FACTS,
                ))
                .to_string(),
            ),
            &[],
        ),
    );
    let mut tim_requests = open_case(
        "00000000-0000-0000-0000-000000000002",
        "Tim Visser",
        TIM_FACTS,
    );
    tim_requests
        .push(serde_json::json!({"command": {"type": "involve_colleague", "user": bea_id}}));
    let tim = applied_case(&a.json(
        &["apply", "-"],
        Some(&Value::Array(tim_requests).to_string()),
        &[],
    ));
    let sent = a.sync();
    assert!(
        sent["sent"].as_u64().is_some_and(|n| n > 0),
        "A sent its events: {sent}"
    );
    let received = b.sync();
    assert!(
        received["received"].as_u64().is_some_and(|n| n > 0),
        "B received events: {received}"
    );

    // 3. B sees Tim's case, with its facts, and not Sanne's; both stores verify.
    let list = b.json(&["case", "list"], None, &[]);
    let names: Vec<&str> = list
        .as_array()
        .unwrap_or_else(|| panic!("case list is an array: {list}"))
        .iter()
        .map(|c| c["pupil_name"].as_str().unwrap_or_default())
        .collect();
    assert!(names.contains(&"Tim Visser"), "B lists Tim Visser: {list}");
    assert!(
        !names.iter().any(|n| n.contains("Sanne")),
        "B must not list Sanne de Vries: {list}"
    );
    assert_eq!(
        list[0]["case_id"], tim,
        "B's one case is Tim's, with the same id as on A: {list}"
    );
    assert_eq!(signal_facts(&b.case_json(&tim)), [TIM_FACTS]);
    let text = b.case_text(&tim);
    assert!(
        text.contains(COORDINATOR),
        "B's timeline names the coordinator who recorded on A:\n{text}"
    );
    let refused = b.run(&["--json", "case", "show", &sanne], None, &[]);
    assert!(
        !refused.status.success() && !contains(&refused.stdout, "Sanne"),
        "{}",
        describe("B must not show Sanne's case", &refused)
    );
    b.verify();
    a.verify();

    // 4. B records in Tim's case and syncs; A syncs and shows it, by Bea.
    let request = serde_json::json!({"case_id": tim, "command": {"type": "record_signal",
        "observed_at": "2026-03-03T08:20:00Z", "context": "classroom",
        "facts": BEA_FACTS, "child_words": "Papa was boos.", "source": {"kind": "own"}}});
    b.json(&["apply", "-"], Some(&request.to_string()), &[]);
    let sent = b.sync();
    assert!(
        sent["sent"].as_u64().is_some_and(|n| n > 0),
        "B sent its record: {sent}"
    );
    let received = a.sync();
    assert!(
        received["received"].as_u64().is_some_and(|n| n > 0),
        "A received B's record: {received}"
    );
    assert_eq!(signal_facts(&a.case_json(&tim)), [TIM_FACTS, BEA_FACTS]);
    let text = a.case_text(&tim);
    assert!(
        text.contains(TEACHER),
        "A's timeline names Bea as the author of B's record:\n{text}"
    );
    a.verify();
    b.verify();

    // 5. A has nothing waiting and knows both devices' heads.
    let status = a.json(&["sync", "status"], None, &[]);
    assert_eq!(status["waiting"], 0, "nothing waits on A: {status}");
    let heads = head_devices(&status);
    assert!(
        heads.contains(&a_id) && heads.contains(&b_id),
        "A knows the heads of A ({a_id}) and B ({b_id}): {status}"
    );

    // 6. Revoked, B is refused; A goes on.
    let revoked = run(&config, &["device", "revoke", &b_id]);
    assert!(revoked.contains(&b_id), "{revoked}");
    let line = devices(&config)
        .into_iter()
        .find(|d| d.0 == b_id)
        .expect("B is still listed")
        .2;
    assert!(
        line.contains("revoked"),
        "device list marks B revoked: {line}"
    );
    assert_eq!(b.error_code(&["sync"]), "server_revoked");
    let again = a.sync();
    assert!(again.is_object(), "A still syncs: {again}");
    let status = a.json(&["sync", "status"], None, &[]);
    assert_eq!(status["waiting"], 0, "nothing waits on A: {status}");
    let heads = head_devices(&status);
    assert!(
        heads.contains(&a_id) && heads.contains(&b_id),
        "A still knows both heads after B's revocation: {status}"
    );
    let counts = run(&config, &["status"]);
    assert!(counts.contains("(1 revoked)"), "{counts}");

    // 7. Nothing readable on the server: its folder (database, WAL, certificate, key), the
    // PostgreSQL dump, its log.
    server.kill();
    let files = files_under(&config.data);
    for (path, bytes) in &files {
        assert_nothing_readable(&path.display().to_string(), bytes);
    }
    match postgres {
        None => {
            let database = files
                .iter()
                .find(|(p, _)| p.extension().is_some_and(|e| e == "sqlite"))
                .unwrap_or_else(|| {
                    let names: Vec<_> = files.iter().map(|(p, _)| p.display()).collect();
                    panic!("no .sqlite file in the server's folder: {names:?}")
                });
            assert!(
                contains(&database.1, "CREATE TABLE") && contains(&database.1, "events"),
                "the SQLite file was read (it has the events table): {}",
                database.0.display()
            );
        }
        Some(cluster) => {
            let dump = cluster.pg_dump();
            assert!(
                dump.contains("CREATE TABLE") && dump.contains("events"),
                "pg_dump holds the schema: {dump}"
            );
            assert_nothing_readable("pg_dump", dump.as_bytes());
        }
    }
    let log = std::fs::read(&config.log).expect("reads the server's log");
    assert!(
        contains(&log, "listening") || contains(&log, "serving"),
        "the server's log was written"
    );
    assert_nothing_readable("the server's log", &log);
}
