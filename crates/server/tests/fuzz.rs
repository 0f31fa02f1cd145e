//! `make fuzz`: generated and mutated requests against the server's decoders and handlers, in
//! process and without TLS (the router with the `Peer` extension the TLS accept loop would add).
//! Properties, for every request:
//!
//! - the server answers: no panic (in a handler or on the blocking pool), no hang, never a 500;
//! - a refusal is `{code, message}` with the status its code maps to (axum's own 404 for an
//!   unknown path and 405 for a known path with another method aside, and HEAD's empty bodies);
//! - an answer 2xx has the endpoint's shape, and came from an enrolled device where one is needed;
//! - a refused request changes nothing stored (the SQLite file is read back table by table,
//!   `last_seen` aside); a fork is refused and kept as evidence: one row in `forks`, nothing else.
//!
//! Accepted requests that change data are legitimate uploads, enrollments and codes: the
//! generators make them uncommon (a few in a hundred uploads continue a chain cleanly), and the
//! snapshot is taken again after each. A world whose tables grew past a bound is started
//! afresh, so snapshots stay cheap over a million cases. Between full reads, SQLite's
//! `data_version` tells whether anything was committed at all.
//!
//! Two bugs it found have their own tests (`any_pull_query_…`, `a_batch_with_seq_…`): a
//! malformed pull query answered in axum's plain text, and a sequence number overflowing.
//!
//! `MELDCODE_FUZZ_CASES` is the total over the property tests (default 2000, as `cargo test`
//! runs it; `make fuzz` sets 1,000,000). Stats are printed with `--nocapture`.

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode};
use meldcode_engine::hlc::Hlc;
use meldcode_engine::school_log::SCHOOL_LOG;
use meldcode_engine::{Actor, CaseId, DeviceId, EventId, Role, UserId};
use meldcode_server::enrollment;
use meldcode_server::http::error::status_of;
use meldcode_server::http::{router, AppState, Peer};
use meldcode_server::storage::Storage;
use meldcode_sync::api::{
    CodeIssued, Enroll, Enrolled, Health, Hello, NewCode, PullPage, Upload, UploadReceipt, Welcome,
};
use meldcode_sync::enroll::{verifier, EnrollmentCode, RANDOM_LEN};
use meldcode_sync::ingest::{
    ChainTip, MAX_AUDIENCE, MAX_BATCH, MAX_KIND, MAX_PAYLOAD, MAX_REQUEST,
};
use meldcode_sync::keys::WrappedCaseKey;
use meldcode_sync::receive::DirectoryChange;
use meldcode_sync::testing::{chain_of, device};
use meldcode_sync::{chain, version, ErrorCode, Hash, SealedEvent, SyncError};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::panic::AssertUnwindSafe;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// The total when `MELDCODE_FUZZ_CASES` is not set: what `cargo test --workspace` runs.
const DEFAULT_CASES: u64 = 2000;
/// `meldcode_server::storage::sqlite::FILE`, which is private.
const DATABASE_FILE: &str = "meldcode-server.sqlite";
/// A world with more stored events or forks than this, or older than this many requests, is
/// replaced by a fresh one (snapshots read every table; codes expire after 15 minutes).
const MAX_EVENTS: usize = 150;
const MAX_FORKS: i64 = 400;
const MAX_REQUESTS_PER_WORLD: u64 = 20_000;
/// Even when SQLite says nothing was committed, read everything back this often.
const FULL_CHECK_EVERY: u64 = 200;
/// The rate limiter is emptied every this many requests.
const LIMITER_WINDOW: u64 = 200;

// ---------------------------------------------------------------------------------------------
// Panics anywhere in the process (also on the blocking pool, where tokio turns them into
// errors) are recorded here.

static PANICS: Mutex<Vec<(String, String)>> = Mutex::new(Vec::new());
static HOOK: Once = Once::new();

fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}

fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push((thread_name(), info.to_string()));
            previous(info);
        }));
    });
}

/// The panics so far on these threads (the tests run side by side: each looks at its own
/// thread, where its handlers run, and its runtime's blocking pool).
fn panics_on(threads: &[String]) -> Vec<String> {
    PANICS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|(t, _)| threads.contains(t))
        .map(|(t, m)| format!("thread {t}: {m}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Who is who.

fn now_ms() -> u64 {
    u64::try_from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("clock after 1970")
            .as_millis(),
    )
    .expect("ms fit")
}

fn certificate(name: &str) -> Hash {
    Hash::of(name.as_bytes())
}

fn coordinator_cert() -> Hash {
    certificate("the coordinator's device")
}

fn teacher_cert() -> Hash {
    certificate("a teacher's device")
}

fn revoked_cert() -> Hash {
    certificate("a revoked device")
}

fn pool_cert(n: u8) -> Hash {
    Hash::of(&[b'p', n % 8])
}

fn server_cert() -> Hash {
    Hash::of(b"server cert")
}

fn user(n: u128) -> UserId {
    UserId::from_u128(n)
}

/// device(1) is the coordinator's, device(2) a teacher's, device(3) revoked, device(5) never
/// enrolled.
const CHAINS: [u8; 4] = [1, 2, 3, 5];

fn code(seed: u8) -> EnrollmentCode {
    EnrollmentCode::new(zeroize::Zeroizing::new([seed; RANDOM_LEN]), &server_cert())
}

/// Codes a coordinator made in each world, for the generated enrollments to use.
const POOL_SEEDS: [u8; 4] = [20, 21, 22, 23];
/// Lookups the generated `POST /v1/codes` may use (valid, each accepted once per world).
const FRESH_LOOKUPS: [&str; 3] = ["0a0b0c0d0e", "1a2b3c4d5e", "abcdefabcd"];

// ---------------------------------------------------------------------------------------------
// What is generated: a request recipe, made concrete against the world when it runs (an upload
// continues the chain the server holds now).

#[derive(Clone, Debug)]
enum CertPick {
    None,
    Coordinator,
    Teacher,
    Revoked,
    /// A small pool of certificates a generated enrollment may enroll.
    Pool(u8),
    Fresh([u8; 32]),
}

#[derive(Clone, Debug)]
enum ProtocolPick {
    Missing,
    Valid,
    Value(Vec<u8>),
    /// Two headers: this value first, then a valid one.
    Twice(Vec<u8>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Route {
    Health,
    Enroll,
    Hello,
    Events,
    Stream,
    Codes,
}

const ROUTES: [(Route, &str); 6] = [
    (Route::Health, "/v1/health"),
    (Route::Enroll, "/v1/enroll"),
    (Route::Hello, "/v1/hello"),
    (Route::Events, "/v1/events"),
    (Route::Stream, "/v1/stream"),
    (Route::Codes, "/v1/codes"),
];

impl Route {
    fn path(self) -> &'static str {
        ROUTES
            .iter()
            .find(|(r, _)| *r == self)
            .map_or("/", |(_, p)| p)
    }

    fn of_path(path: &str) -> Option<Self> {
        ROUTES.iter().find(|(_, p)| *p == path).map(|(r, _)| *r)
    }

    /// The methods the router serves on this path (GET routes answer HEAD too).
    fn allows(self, method: &Method) -> bool {
        let get = method == Method::GET || method == Method::HEAD;
        let post = method == Method::POST;
        match self {
            Route::Health | Route::Stream => get,
            Route::Enroll | Route::Hello | Route::Codes => post,
            Route::Events => get || post,
        }
    }

    fn needs_device(self) -> bool {
        !matches!(self, Route::Health | Route::Enroll)
    }
}

#[derive(Clone, Debug)]
enum QueryPick {
    None,
    Pull {
        after: Option<u64>,
        limit: Option<u64>,
        swap: bool,
    },
    Raw(String),
}

#[derive(Clone, Debug)]
enum Target {
    Route(Route, QueryPick),
    Raw(String),
}

#[derive(Clone, Debug)]
enum ByteEdit {
    Flip(Index, u8),
    Set(Index, u8),
    Insert(Index, Vec<u8>),
    Delete(Index, u8),
    Truncate(Index),
    Repeat(Index, u8, u8),
}

#[derive(Clone, Debug)]
enum NodeOp {
    Remove,
    Set(Value),
    /// Raw JSON text (numbers no `Value` holds, invalid literals).
    Raw(&'static str),
    LongString(usize),
    Nest(usize),
    /// A number becomes its negation, a string a number, anything else a string.
    Twist,
}

#[derive(Clone, Debug)]
enum ValueEdit {
    At(Index, NodeOp),
    /// The n-th object gets one of its keys a second time.
    DuplicateKey(Index, Index, Option<Value>),
    AddKey(Index, String, Value),
}

#[derive(Clone, Debug)]
enum CodePick {
    Pool(Index),
    PoolUpper(Index),
    First,
    Teacher,
    Random(String),
}

#[derive(Clone, Debug)]
enum ProofPick {
    Right,
    OtherPool(Index),
    Upper,
    Empty,
    Random(String),
}

#[derive(Clone, Debug)]
enum DevicePick {
    Known(u8),
    Fresh(u128),
}

#[derive(Clone, Debug)]
struct EnrollRecipe {
    code: CodePick,
    proof: ProofPick,
    device: DevicePick,
    public_len: usize,
    users: Vec<(u8, u8)>,
}

#[derive(Clone, Debug)]
enum SeqPick {
    Tip(i8),
    Special(u64),
}

#[derive(Clone, Debug)]
enum HashPick {
    Right,
    Genesis,
    Random([u8; 32]),
    Stored(Index),
}

#[derive(Clone, Debug)]
struct HelloRecipe {
    seq: SeqPick,
    hash: HashPick,
}

#[derive(Clone, Debug)]
enum LookupPick {
    Fresh(Index),
    FreshUpper(Index),
    Pool(Index),
    Random(String),
}

#[derive(Clone, Debug)]
enum UsersPick {
    None,
    Coordinator,
    Unknown(u128),
    TooMany,
}

#[derive(Clone, Debug)]
struct NewCodeRecipe {
    lookup: LookupPick,
    verifier: [u8; 32],
    deposit_len: usize,
    users: UsersPick,
    coordinator: bool,
}

#[derive(Clone, Debug)]
enum CasePick {
    Chain,
    SchoolLog,
    Random(u128),
}

#[derive(Clone, Debug)]
enum KindPick {
    Named(&'static str),
    Empty,
    Len(usize),
    Text(String),
}

#[derive(Clone, Debug)]
enum EventEdit {
    SeqDelta(i8),
    Seq(u64),
    Device(DevicePick),
    Kind(KindPick),
    Format(u16),
    Author(u128),
    Case(CasePick),
    Id(u128),
    Hlc(u64, u32),
    Involved(usize),
    StaffCase(bool),
    Suspect(Option<u128>),
    Directory(Option<(bool, u128, u8)>),
    Prev(HashPick),
    Hash(HashPick),
    Digest(HashPick),
    DropPayload,
    FlipPayload(Index),
    TruncatePayload(Index),
    PayloadLen(usize),
    Duplicate,
    Remove,
    SwapNext,
}

#[derive(Clone, Copy, Debug)]
enum Relink {
    No,
    /// Each event's hash recomputed from its own prev.
    Hashes,
    /// Prevs and hashes recomputed along the batch.
    Chain,
    /// Payload digests too.
    Digests,
}

#[derive(Clone, Copy, Debug)]
enum Bulk {
    No,
    TooManyEvents,
    FullBatch,
    TooManyKeys,
}

#[derive(Clone, Debug)]
struct UploadRecipe {
    chain: u8,
    start: i8,
    len: usize,
    edits: Vec<(Index, EventEdit)>,
    relink: Relink,
    keys: Vec<(CasePick, usize)>,
    bulk: Bulk,
}

#[derive(Clone, Debug)]
enum Doc {
    Enroll(EnrollRecipe),
    Hello(HelloRecipe),
    Upload(UploadRecipe),
    NewCode(NewCodeRecipe),
    Any(Value),
}

#[derive(Clone, Debug)]
enum BodyPick {
    Empty,
    Bytes(Vec<u8>),
    /// More than `MAX_REQUEST` bytes, or (false) exactly `MAX_REQUEST` bytes of JSON.
    Oversized(bool),
    Json {
        doc: Doc,
        edits: Vec<ValueEdit>,
        bytes: Vec<ByteEdit>,
    },
}

#[derive(Clone, Debug)]
struct Case {
    method: Method,
    target: Target,
    protocol: ProtocolPick,
    cert: CertPick,
    address: u8,
    body: BodyPick,
}

// ---------------------------------------------------------------------------------------------
// Strategies.

fn cert_pick() -> BoxedStrategy<CertPick> {
    prop_oneof![
        2 => Just(CertPick::None),
        6 => Just(CertPick::Coordinator),
        3 => Just(CertPick::Teacher),
        2 => Just(CertPick::Revoked),
        1 => any::<u8>().prop_map(CertPick::Pool),
        2 => any::<[u8; 32]>().prop_map(CertPick::Fresh),
    ]
    .boxed()
}

fn protocol_pick() -> BoxedStrategy<ProtocolPick> {
    let odd = prop::sample::select(vec![
        "0", "2", "01", "+1", " 1", "1 ", "-1", "65536", "65535", "1.0", "", "one", "1,1", "0x1",
    ])
    .prop_map(|s| ProtocolPick::Value(s.as_bytes().to_vec()));
    prop_oneof![
        2 => Just(ProtocolPick::Missing),
        14 => Just(ProtocolPick::Valid),
        3 => odd,
        1 => prop::collection::vec(any::<u8>(), 0..8).prop_map(ProtocolPick::Value),
        1 => prop::collection::vec(any::<u8>(), 0..4).prop_map(ProtocolPick::Twice),
    ]
    .boxed()
}

fn method_pick() -> BoxedStrategy<Method> {
    prop_oneof![
        6 => Just(Method::GET),
        6 => Just(Method::POST),
        1 => Just(Method::PUT),
        1 => Just(Method::DELETE),
        1 => Just(Method::HEAD),
        1 => Just(Method::PATCH),
        1 => Just(Method::OPTIONS),
        1 => prop::sample::select(vec!["CONNECT", "TRACE", "MELD", "get"])
            .prop_map(|m| Method::from_bytes(m.as_bytes()).expect("a method token")),
    ]
    .boxed()
}

fn route_pick() -> BoxedStrategy<Route> {
    prop::sample::select(ROUTES.iter().map(|(r, _)| *r).collect::<Vec<_>>()).boxed()
}

fn special_u64() -> BoxedStrategy<u64> {
    prop_oneof![
        3 => 0u64..8,
        1 => prop::sample::select(vec![
            u64::MAX,
            u64::MAX - 1,
            i64::MAX as u64,
            i64::MAX as u64 + 1,
            u64::from(u32::MAX),
            1000,
            1001,
        ]),
        1 => any::<u64>(),
    ]
    .boxed()
}

fn query_pick() -> BoxedStrategy<QueryPick> {
    prop_oneof![
        3 => Just(QueryPick::None),
        4 => (
            prop::option::of(special_u64()),
            prop::option::of(special_u64()),
            any::<bool>()
        )
            .prop_map(|(after, limit, swap)| QueryPick::Pull { after, limit, swap }),
        3 => "[a-zA-Z0-9=&%._~+-]{0,24}".prop_map(QueryPick::Raw),
        1 => prop::sample::select(vec![
            "after=", "after=-1", "limit=-1", "after=18446744073709551616", "after=1&after=2",
            "after=1e3", "after=0x10", "limit=abc", "after=%31", "after", "&&&", "after=1&limit=",
        ])
        .prop_map(|s| QueryPick::Raw(s.to_owned())),
    ]
    .boxed()
}

fn raw_path() -> BoxedStrategy<String> {
    prop_oneof![
        2 => "/[a-zA-Z0-9/._~%-]{0,24}",
        2 => "[a-zA-Z0-9._~%-]{0,12}".prop_map(|s| format!("/v1/{s}")),
        2 => prop::sample::select(vec![
            "/", "/v1", "/v1/", "/v1/events/", "/v1//events", "//v1/events", "/v1/events/..",
            "/v1/./health", "/V1/health", "/v1/Health", "/v1/%65vents", "/v1/events%2F",
            "/v1/health/x", "/v2/health", "/v1/enroll/", "/v1/stream/1",
        ])
        .prop_map(str::to_owned),
    ]
    .boxed()
}

fn target_pick() -> BoxedStrategy<Target> {
    prop_oneof![
        5 => (route_pick(), query_pick()).prop_map(|(r, q)| Target::Route(r, q)),
        1 => (raw_path(), prop::option::of("[a-zA-Z0-9=&%._~+-]{0,16}"))
            .prop_map(|(p, q)| Target::Raw(q.map_or(p.clone(), |q| format!("{p}?{q}")))),
    ]
    .boxed()
}

const FIELD_NAMES: [&str; 30] = [
    "events",
    "case_keys",
    "lookup",
    "proof",
    "device_id",
    "device_public",
    "users",
    "tip",
    "seq",
    "hash",
    "verifier",
    "deposit",
    "coordinator",
    "header",
    "prev",
    "payload_digest",
    "payload",
    "format",
    "id",
    "case_id",
    "author",
    "kind",
    "hlc",
    "audience",
    "directory",
    "wrapped",
    "user_id",
    "role",
    "involved",
    "change",
];

fn key_pick() -> BoxedStrategy<String> {
    prop_oneof![
        3 => prop::sample::select(FIELD_NAMES.to_vec()).prop_map(str::to_owned),
        1 => ".{0,8}",
    ]
    .boxed()
}

fn any_json() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        special_u64().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        ".{0,12}".prop_map(Value::String),
        "[0-9a-f]{64}".prop_map(Value::String),
        "[A-Za-z0-9+/]{0,16}={0,2}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 24, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key_pick(), inner, 0..5)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn node_op() -> BoxedStrategy<NodeOp> {
    prop_oneof![
        3 => Just(NodeOp::Remove),
        3 => any_json().prop_map(NodeOp::Set),
        3 => prop::sample::select(vec![
            "18446744073709551616",
            "-1",
            "-0",
            "1e400",
            "-1e400",
            "1.5",
            "1e2",
            "340282366920938463463374607431768211456",
            "-9223372036854775809",
            "0.0000001",
            "01",
            "NaN",
            "Infinity",
            "true",
            "null",
            "\"\"",
            "\"\\ud800\"",
            "\"\\u0000\"",
            "[]",
            "{}",
        ])
        .prop_map(NodeOp::Raw),
        1 => prop_oneof![Just(70usize), Just(10_000), Just(200_000)].prop_map(NodeOp::LongString),
        1 => prop_oneof![Just(2usize), Just(127), Just(129), Just(10_000)].prop_map(NodeOp::Nest),
        2 => Just(NodeOp::Twist),
    ]
    .boxed()
}

fn value_edit() -> BoxedStrategy<ValueEdit> {
    prop_oneof![
        6 => (any::<Index>(), node_op()).prop_map(|(i, op)| ValueEdit::At(i, op)),
        2 => (any::<Index>(), any::<Index>(), prop::option::of(any_json()))
            .prop_map(|(o, k, v)| ValueEdit::DuplicateKey(o, k, v)),
        1 => (any::<Index>(), key_pick(), any_json())
            .prop_map(|(o, k, v)| ValueEdit::AddKey(o, k, v)),
    ]
    .boxed()
}

fn byte_edit() -> BoxedStrategy<ByteEdit> {
    prop_oneof![
        3 => (any::<Index>(), 0u8..8).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        2 => (
            any::<Index>(),
            prop_oneof![
                any::<u8>(),
                prop::sample::select(b"{}[]\",:0-9e\\ ".to_vec()),
            ]
        )
            .prop_map(|(i, b)| ByteEdit::Set(i, b)),
        2 => (any::<Index>(), prop::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, n)| ByteEdit::Delete(i, n)),
        2 => any::<Index>().prop_map(ByteEdit::Truncate),
        1 => (any::<Index>(), any::<u8>(), 1u8..4).prop_map(|(i, n, t)| ByteEdit::Repeat(i, n, t)),
    ]
    .boxed()
}

fn device_pick() -> BoxedStrategy<DevicePick> {
    prop_oneof![
        3 => prop::sample::select(CHAINS.to_vec()).prop_map(DevicePick::Known),
        2 => any::<u128>().prop_map(DevicePick::Fresh),
    ]
    .boxed()
}

fn enroll_recipe() -> BoxedStrategy<EnrollRecipe> {
    let code = prop_oneof![
        4 => any::<Index>().prop_map(CodePick::Pool),
        1 => any::<Index>().prop_map(CodePick::PoolUpper),
        1 => Just(CodePick::First),
        1 => Just(CodePick::Teacher),
        2 => prop_oneof!["[0-9a-f]{10}", ".{0,12}", "[0-9A-F]{10}"].prop_map(CodePick::Random),
    ];
    let proof = prop_oneof![
        4 => Just(ProofPick::Right),
        1 => any::<Index>().prop_map(ProofPick::OtherPool),
        1 => Just(ProofPick::Upper),
        1 => Just(ProofPick::Empty),
        1 => prop_oneof!["[0-9a-f]{64}", ".{0,20}"].prop_map(ProofPick::Random),
    ];
    let public_len = prop_oneof![6 => Just(32usize), 1 => 0usize..70, 1 => Just(100_000usize)];
    let users = prop::collection::vec((0u8..6, 0u8..4), 0..4);
    (code, proof, device_pick(), public_len, users)
        .prop_map(|(code, proof, device, public_len, users)| EnrollRecipe {
            code,
            proof,
            device,
            public_len,
            users,
        })
        .boxed()
}

fn hash_pick() -> BoxedStrategy<HashPick> {
    prop_oneof![
        3 => Just(HashPick::Right),
        1 => Just(HashPick::Genesis),
        1 => any::<[u8; 32]>().prop_map(HashPick::Random),
        2 => any::<Index>().prop_map(HashPick::Stored),
    ]
    .boxed()
}

fn hello_recipe() -> BoxedStrategy<HelloRecipe> {
    let seq = prop_oneof![
        4 => (-3i8..3).prop_map(SeqPick::Tip),
        1 => special_u64().prop_map(SeqPick::Special),
    ];
    (seq, hash_pick())
        .prop_map(|(seq, hash)| HelloRecipe { seq, hash })
        .boxed()
}

fn new_code_recipe() -> BoxedStrategy<NewCodeRecipe> {
    let lookup = prop_oneof![
        4 => any::<Index>().prop_map(LookupPick::Fresh),
        1 => any::<Index>().prop_map(LookupPick::FreshUpper),
        1 => any::<Index>().prop_map(LookupPick::Pool),
        2 => prop_oneof!["[0-9a-fA-Fg-z]{8,12}", ".{0,12}"].prop_map(LookupPick::Random),
    ];
    let deposit_len = prop_oneof![
        6 => 0usize..100,
        1 => prop::sample::select(vec![64 * 1024, 64 * 1024 + 1, 1_000_000]),
    ];
    let users = prop_oneof![
        2 => Just(UsersPick::None),
        3 => Just(UsersPick::Coordinator),
        1 => any::<u128>().prop_map(UsersPick::Unknown),
        1 => Just(UsersPick::TooMany),
    ];
    (lookup, any::<[u8; 32]>(), deposit_len, users, any::<bool>())
        .prop_map(
            |(lookup, verifier, deposit_len, users, coordinator)| NewCodeRecipe {
                lookup,
                verifier,
                deposit_len,
                users,
                coordinator,
            },
        )
        .boxed()
}

fn case_pick() -> BoxedStrategy<CasePick> {
    prop_oneof![
        3 => Just(CasePick::Chain),
        1 => Just(CasePick::SchoolLog),
        1 => any::<u128>().prop_map(CasePick::Random),
    ]
    .boxed()
}

fn kind_pick() -> BoxedStrategy<KindPick> {
    prop_oneof![
        2 => prop::sample::select(vec!["case_opened", "signal_recorded", "decided", "x"])
            .prop_map(KindPick::Named),
        1 => Just(KindPick::Empty),
        2 => prop::sample::select(vec![MAX_KIND - 1, MAX_KIND, MAX_KIND + 1, 10_000])
            .prop_map(KindPick::Len),
        1 => ".{1,10}".prop_map(KindPick::Text),
    ]
    .boxed()
}

fn event_edit() -> BoxedStrategy<EventEdit> {
    prop_oneof![
        3 => (-3i8..4).prop_map(EventEdit::SeqDelta),
        2 => special_u64().prop_map(EventEdit::Seq),
        2 => device_pick().prop_map(EventEdit::Device),
        2 => kind_pick().prop_map(EventEdit::Kind),
        1 => prop_oneof![Just(0u16), Just(2), any::<u16>()].prop_map(EventEdit::Format),
        1 => prop_oneof![Just(1u128), any::<u128>()].prop_map(EventEdit::Author),
        2 => case_pick().prop_map(EventEdit::Case),
        1 => any::<u128>().prop_map(EventEdit::Id),
        1 => (special_u64(), any::<u32>()).prop_map(|(w, l)| EventEdit::Hlc(w, l)),
        1 => prop::sample::select(vec![0usize, 3, MAX_AUDIENCE, MAX_AUDIENCE + 1])
            .prop_map(EventEdit::Involved),
        1 => any::<bool>().prop_map(EventEdit::StaffCase),
        1 => prop::option::of(any::<u128>()).prop_map(EventEdit::Suspect),
        1 => prop::option::of((any::<bool>(), prop_oneof![Just(1u128), Just(2), any::<u128>()], 0u8..4))
            .prop_map(EventEdit::Directory),
        2 => hash_pick().prop_map(EventEdit::Prev),
        2 => hash_pick().prop_map(EventEdit::Hash),
        1 => hash_pick().prop_map(EventEdit::Digest),
        2 => Just(EventEdit::DropPayload),
        2 => any::<Index>().prop_map(EventEdit::FlipPayload),
        1 => any::<Index>().prop_map(EventEdit::TruncatePayload),
        // Payloads at and over the limit are large bodies: now and then.
        1 => prop_oneof![
            40 => 0usize..64,
            1 => Just(MAX_PAYLOAD),
            1 => Just(MAX_PAYLOAD + 1),
        ]
        .prop_map(EventEdit::PayloadLen),
        2 => Just(EventEdit::Duplicate),
        2 => Just(EventEdit::Remove),
        1 => Just(EventEdit::SwapNext),
    ]
    .boxed()
}

fn upload_recipe() -> BoxedStrategy<UploadRecipe> {
    // 0: the sending device's own chain.
    let chain = prop_oneof![
        12 => Just(0u8),
        2 => Just(1u8),
        1 => Just(2u8),
        1 => Just(3u8),
        1 => Just(5u8),
    ];
    let relink = prop_oneof![
        2 => Just(Relink::No),
        1 => Just(Relink::Hashes),
        3 => Just(Relink::Chain),
        1 => Just(Relink::Digests),
    ];
    let bulk = prop_oneof![
        600 => Just(Bulk::No),
        1 => Just(Bulk::TooManyEvents),
        1 => Just(Bulk::FullBatch),
        1 => Just(Bulk::TooManyKeys),
    ];
    let keys = prop::collection::vec((case_pick(), prop_oneof![0usize..80, Just(5000)]), 0..3);
    (
        chain,
        -5i8..3,
        prop_oneof![1 => Just(0usize), 8 => 1usize..5, 1 => 5usize..12],
        prop_oneof![
            1 => Just(Vec::new()),
            6 => prop::collection::vec((any::<Index>(), event_edit()), 1..4),
        ],
        relink,
        keys,
        bulk,
    )
        .prop_map(
            |(chain, start, len, edits, relink, keys, bulk)| UploadRecipe {
                chain,
                start,
                len,
                edits,
                relink,
                keys,
                bulk,
            },
        )
        .boxed()
}

fn doc_for(route: Route) -> BoxedStrategy<Doc> {
    match route {
        Route::Enroll => enroll_recipe().prop_map(Doc::Enroll).boxed(),
        Route::Hello => hello_recipe().prop_map(Doc::Hello).boxed(),
        Route::Codes => new_code_recipe().prop_map(Doc::NewCode).boxed(),
        Route::Events => upload_recipe().prop_map(Doc::Upload).boxed(),
        Route::Health | Route::Stream => any_json().prop_map(Doc::Any).boxed(),
    }
}

fn any_doc() -> BoxedStrategy<Doc> {
    prop_oneof![
        enroll_recipe().prop_map(Doc::Enroll),
        hello_recipe().prop_map(Doc::Hello),
        new_code_recipe().prop_map(Doc::NewCode),
        upload_recipe().prop_map(Doc::Upload),
        any_json().prop_map(Doc::Any),
    ]
    .boxed()
}

fn json_body(doc: BoxedStrategy<Doc>, edits: usize, bytes: usize) -> BoxedStrategy<BodyPick> {
    (
        doc,
        prop::collection::vec(value_edit(), 0..=edits),
        prop::collection::vec(byte_edit(), 0..=bytes),
    )
        .prop_map(|(doc, edits, bytes)| BodyPick::Json { doc, edits, bytes })
        .boxed()
}

fn random_bytes() -> BoxedStrategy<BodyPick> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..256),
        2 => "[\\[\\]{}\",:0-9a-z \\\\.e+-]{0,64}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..8192),
    ]
    .prop_map(BodyPick::Bytes)
    .boxed()
}

fn case_of(
    method: BoxedStrategy<Method>,
    target: BoxedStrategy<Target>,
    protocol: BoxedStrategy<ProtocolPick>,
    cert: BoxedStrategy<CertPick>,
    body: BoxedStrategy<BodyPick>,
) -> BoxedStrategy<Case> {
    (method, target, protocol, cert, 0u8..4, body)
        .prop_map(|(method, target, protocol, cert, address, body)| Case {
            method,
            target,
            protocol,
            cert,
            address,
            body,
        })
        .boxed()
}

/// Anything: every method, path, header and certificate, bodies from byte soup to uploads.
fn any_request() -> BoxedStrategy<Case> {
    let body = prop_oneof![
        10 => Just(BodyPick::Empty),
        40 => random_bytes(),
        40 => json_body(any_doc(), 3, 3),
        1 => any::<bool>().prop_map(BodyPick::Oversized),
    ]
    .boxed();
    case_of(
        method_pick(),
        target_pick(),
        protocol_pick(),
        cert_pick(),
        body,
    )
}

/// The right route and method with the JSON of the right request type, mutated.
fn mutated_json() -> BoxedStrategy<Case> {
    prop_oneof![
        Just(Route::Enroll),
        Just(Route::Hello),
        Just(Route::Events),
        Just(Route::Codes)
    ]
    .prop_flat_map(|route| {
        let doc = prop_oneof![8 => doc_for(route), 1 => any_doc()].boxed();
        let body = prop_oneof![
            6 => json_body(doc.clone(), 4, 0),
            3 => json_body(doc.clone(), 0, 4),
            2 => json_body(doc, 2, 2),
        ]
        .boxed();
        let protocol = prop_oneof![9 => Just(ProtocolPick::Valid), 1 => protocol_pick()].boxed();
        case_of(
            Just(Method::POST).boxed(),
            Just(Target::Route(route, QueryPick::None)).boxed(),
            protocol,
            cert_pick(),
            body,
        )
    })
    .boxed()
}

/// Uploads built from real sealed events, continuing the chains the server holds, mutated
/// event by event (and now and then in their JSON too).
fn mutated_uploads() -> BoxedStrategy<Case> {
    let doc = upload_recipe().prop_map(Doc::Upload).boxed();
    let body = prop_oneof![
        12 => json_body(doc.clone(), 0, 0),
        1 => json_body(doc, 1, 1),
    ]
    .boxed();
    let cert = prop_oneof![
        10 => Just(CertPick::Coordinator),
        5 => Just(CertPick::Teacher),
        1 => Just(CertPick::Revoked),
        1 => Just(CertPick::None),
        1 => any::<[u8; 32]>().prop_map(CertPick::Fresh),
    ]
    .boxed();
    let protocol = prop_oneof![19 => Just(ProtocolPick::Valid), 1 => protocol_pick()].boxed();
    case_of(
        Just(Method::POST).boxed(),
        Just(Target::Route(Route::Events, QueryPick::None)).boxed(),
        protocol,
        cert,
        body,
    )
}

/// Enrollments and new codes, and the requests of the devices such an enrollment may add.
fn enrollment_requests() -> BoxedStrategy<Case> {
    let enroll = (
        prop_oneof![
            3 => any::<u8>().prop_map(CertPick::Pool),
            1 => any::<[u8; 32]>().prop_map(CertPick::Fresh),
            2 => cert_pick(),
        ],
        json_body(doc_for(Route::Enroll), 1, 1),
    )
        .prop_map(|(cert, body)| (Route::Enroll, cert, body));
    let codes = (
        prop_oneof![6 => Just(CertPick::Coordinator), 2 => cert_pick()],
        json_body(doc_for(Route::Codes), 1, 1),
    )
        .prop_map(|(cert, body)| (Route::Codes, cert, body));
    let from_pool = (
        prop_oneof![Just(Route::Hello), Just(Route::Events), Just(Route::Codes)],
        any::<u8>().prop_map(CertPick::Pool),
        json_body(any_doc(), 1, 0),
    );
    (
        prop_oneof![4 => enroll, 3 => codes, 1 => from_pool],
        prop_oneof![9 => Just(ProtocolPick::Valid), 1 => protocol_pick()],
        0u8..4,
    )
        .prop_map(|((route, cert, body), protocol, address)| Case {
            method: Method::POST,
            target: Target::Route(route, QueryPick::None),
            protocol,
            cert,
            address,
            body,
        })
        .boxed()
}

/// `GET /v1/events` with any query string, from an enrolled device.
fn pull_queries() -> BoxedStrategy<Case> {
    let cert = prop_oneof![3 => Just(CertPick::Coordinator), 1 => Just(CertPick::Teacher)].boxed();
    case_of(
        prop_oneof![9 => Just(Method::GET), 1 => Just(Method::HEAD)].boxed(),
        query_pick()
            .prop_map(|q| Target::Route(Route::Events, q))
            .boxed(),
        Just(ProtocolPick::Valid).boxed(),
        cert,
        Just(BodyPick::Empty).boxed(),
    )
}

// ---------------------------------------------------------------------------------------------
// JSON text with what `serde_json::Value` cannot hold: raw literals, duplicate keys, removals.

const RAW: &str = "\u{1}raw:";
const DUP: &str = "\u{1}dup:";
const GONE: &str = "\u{1}gone";

fn emit(v: &Value, out: &mut String) {
    match v {
        Value::String(s) if s.starts_with(RAW) => out.push_str(&s[RAW.len()..]),
        Value::Array(items) => {
            out.push('[');
            let mut first = true;
            for item in items.iter().filter(|i| i.as_str() != Some(GONE)) {
                if !first {
                    out.push(',');
                }
                first = false;
                emit(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            let mut first = true;
            for (k, item) in map.iter().filter(|(_, i)| i.as_str() != Some(GONE)) {
                if !first {
                    out.push(',');
                }
                first = false;
                let key = k.strip_prefix(DUP).unwrap_or(k);
                out.push_str(&Value::String(key.to_owned()).to_string());
                out.push(':');
                emit(item, out);
            }
            out.push('}');
        }
        other => out.push_str(&other.to_string()),
    }
}

fn count_nodes(v: &Value, objects_only: bool) -> usize {
    let me = usize::from(!objects_only || v.is_object());
    me + match v {
        Value::Array(items) => items.iter().map(|i| count_nodes(i, objects_only)).sum(),
        Value::Object(map) => map.values().map(|i| count_nodes(i, objects_only)).sum(),
        _ => 0,
    }
}

/// The `target`-th node in pre-order (of objects only, if asked).
fn nth_node<'a>(
    v: &'a mut Value,
    target: usize,
    seen: &mut usize,
    objects_only: bool,
) -> Option<&'a mut Value> {
    let counts = !objects_only || v.is_object();
    if counts {
        if *seen == target {
            return Some(v);
        }
        *seen += 1;
    }
    match v {
        Value::Array(items) => {
            for item in items.iter_mut() {
                if let Some(found) = nth_node(item, target, seen, objects_only) {
                    return Some(found);
                }
            }
            None
        }
        Value::Object(map) => {
            for item in map.values_mut() {
                if let Some(found) = nth_node(item, target, seen, objects_only) {
                    return Some(found);
                }
            }
            None
        }
        _ => None,
    }
}

fn raw(text: &str) -> Value {
    Value::String(format!("{RAW}{text}"))
}

fn apply_node_op(node: &mut Value, op: &NodeOp) {
    let new = match op {
        NodeOp::Remove => Value::String(GONE.to_owned()),
        NodeOp::Set(v) => v.clone(),
        NodeOp::Raw(text) => raw(text),
        NodeOp::LongString(n) => Value::String("a".repeat(*n)),
        NodeOp::Nest(depth) => {
            let mut text = String::new();
            emit(node, &mut text);
            raw(&format!(
                "{}{text}{}",
                "[".repeat(*depth),
                "]".repeat(*depth)
            ))
        }
        NodeOp::Twist => match &*node {
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    Value::from(i.checked_neg().unwrap_or(i64::MAX))
                } else if let Some(u) = n.as_u64() {
                    raw(&format!("-{u}"))
                } else {
                    Value::String(n.to_string())
                }
            }
            Value::String(s) => s
                .parse::<i64>()
                .map_or_else(|_| Value::from(s.chars().count()), |_| raw(s.as_str())),
            other => Value::String(other.to_string()),
        },
    };
    *node = new;
}

fn apply_value_edit(root: &mut Value, edit: &ValueEdit) {
    match edit {
        ValueEdit::At(i, op) => {
            let n = count_nodes(root, false);
            if let Some(node) = nth_node(root, i.index(n), &mut 0, false) {
                apply_node_op(node, op);
            }
        }
        ValueEdit::DuplicateKey(o, k, value) => {
            let n = count_nodes(root, true);
            if n == 0 {
                return;
            }
            if let Some(Value::Object(map)) = nth_node(root, o.index(n), &mut 0, true) {
                let keys: Vec<String> = map
                    .keys()
                    .filter(|k| !k.starts_with(DUP))
                    .cloned()
                    .collect();
                if keys.is_empty() {
                    return;
                }
                let key = &keys[k.index(keys.len())];
                let v = value
                    .clone()
                    .or_else(|| map.get(key).cloned())
                    .unwrap_or(Value::Null);
                map.insert(format!("{DUP}{key}"), v);
            }
        }
        ValueEdit::AddKey(o, key, value) => {
            let n = count_nodes(root, true);
            if n == 0 {
                return;
            }
            if let Some(Value::Object(map)) = nth_node(root, o.index(n), &mut 0, true) {
                map.insert(key.clone(), value.clone());
            }
        }
    }
}

fn apply_byte_edit(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    let len = bytes.len();
    let at = |i: &Index| if len == 0 { 0 } else { i.index(len) };
    match edit {
        ByteEdit::Flip(i, bit) if len > 0 => bytes[at(i)] ^= 1u8 << (bit % 8),
        ByteEdit::Set(i, b) if len > 0 => bytes[at(i)] = *b,
        ByteEdit::Insert(i, b) => {
            let p = at(i);
            bytes.splice(p..p, b.iter().copied());
        }
        ByteEdit::Delete(i, n) if len > 0 => {
            let p = at(i);
            let end = (p + usize::from(*n) + 1).min(len);
            bytes.drain(p..end);
        }
        ByteEdit::Truncate(i) => bytes.truncate(at(i)),
        ByteEdit::Repeat(i, n, times) if len > 0 => {
            let p = at(i);
            let end = (p + usize::from(*n) + 1).min(len);
            let piece = bytes[p..end].to_vec();
            for _ in 0..*times {
                bytes.splice(end..end, piece.iter().copied());
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------
// What the server holds, read back from its SQLite file by a connection of our own.

#[derive(Clone, Debug, PartialEq)]
struct Snapshot {
    /// Every table's rows (`forks` apart; `devices` without `last_seen`, which every request
    /// of a device may move once a minute).
    tables: BTreeMap<String, Vec<String>>,
    /// count, max id, and sums over `forks`: it only grows, by one row per refused fork.
    forks: (i64, i64, String),
}

impl Snapshot {
    fn events(&self) -> usize {
        self.tables.get("events").map_or(0, Vec::len)
    }

    /// The first difference, for the failure message.
    fn diff(&self, after: &Snapshot) -> String {
        if self.forks != after.forks {
            return format!("forks: {:?} -> {:?}", self.forks, after.forks);
        }
        for (table, rows) in &self.tables {
            let empty = Vec::new();
            let now = after.tables.get(table).unwrap_or(&empty);
            if rows != now {
                let first = rows
                    .iter()
                    .zip(now.iter())
                    .position(|(a, b)| a != b)
                    .unwrap_or(rows.len().min(now.len()));
                return format!(
                    "table {table}: {} rows -> {} rows; first difference at row {first}: {:?} -> {:?}",
                    rows.len(),
                    now.len(),
                    rows.get(first),
                    now.get(first)
                );
            }
        }
        "no difference".to_owned()
    }

    /// Equal but for `forks`, which grew by exactly one row.
    fn is_one_more_fork_than(&self, before: &Snapshot) -> bool {
        self.tables == before.tables
            && self.forks.0 == before.forks.0 + 1
            && self.forks.1 > before.forks.1
    }
}

struct Reader {
    conn: rusqlite::Connection,
    /// Each table's query.
    queries: Vec<(String, String)>,
}

fn cell(v: rusqlite::types::ValueRef<'_>) -> String {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => "null".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(r) => r.to_string(),
        ValueRef::Text(t) => format!("{:?}", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("x'{}'", data_encoding::HEXLOWER.encode(b)),
    }
}

impl Reader {
    fn open(path: &std::path::Path) -> Self {
        let conn = rusqlite::Connection::open_with_flags(
            path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .expect("a second connection to the server's database");
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .expect("tables")
            .query_map([], |r| r.get(0))
            .expect("tables")
            .collect::<Result<_, _>>()
            .expect("tables");
        assert!(
            tables.iter().any(|t| t == "events") && tables.iter().any(|t| t == "forks"),
            "the server's schema: {tables:?}"
        );
        let mut queries = Vec::new();
        for table in tables.into_iter().filter(|t| t != "forks") {
            let query = if table == "sqlite_sequence" {
                "SELECT name, seq FROM sqlite_sequence WHERE name <> 'forks' ORDER BY name"
                    .to_owned()
            } else {
                let columns: Vec<String> = conn
                    .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .expect("columns")
                    .query_map([], |r| r.get(0))
                    .expect("columns")
                    .collect::<Result<_, _>>()
                    .expect("columns");
                let columns: Vec<String> = columns
                    .into_iter()
                    .filter(|c| !(table == "devices" && c == "last_seen"))
                    .map(|c| format!("\"{c}\""))
                    .collect();
                format!(
                    "SELECT {} FROM \"{table}\" ORDER BY rowid",
                    columns.join(", ")
                )
            };
            queries.push((table, query));
        }
        Self { conn, queries }
    }

    /// Changes whenever another connection committed a change to the file.
    fn data_version(&self) -> i64 {
        self.conn
            .prepare_cached("PRAGMA data_version")
            .and_then(|mut s| s.query_row([], |r| r.get(0)))
            .expect("data_version")
    }

    fn snapshot(&self) -> Snapshot {
        let tx = self.conn.unchecked_transaction().expect("read transaction");
        let mut tables = BTreeMap::new();
        for (table, query) in &self.queries {
            let mut stmt = tx.prepare_cached(query).expect("table query");
            let n = stmt.column_count();
            let rows: Vec<String> = stmt
                .query_map([], |r| {
                    let mut row = String::new();
                    for i in 0..n {
                        if i > 0 {
                            row.push('|');
                        }
                        row.push_str(&cell(r.get_ref(i)?));
                    }
                    Ok(row)
                })
                .expect("rows")
                .collect::<Result<_, _>>()
                .expect("rows");
            tables.insert(table.clone(), rows);
        }
        let forks = tx
            .prepare_cached(
                "SELECT count(*), coalesce(max(id), 0), total(seq) || '/' || total(received_at) || '/' || total(length(sealed)) FROM forks",
            )
            .and_then(|mut s| s.query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))))
            .expect("forks");
        drop(tx);
        Snapshot { tables, forks }
    }
}

// ---------------------------------------------------------------------------------------------
// A server with three enrolled devices (one revoked), their first events, and codes to enroll
// more with.

struct World {
    state: AppState,
    app: axum::Router,
    reader: Reader,
    snapshot: Snapshot,
    data_version: i64,
    requests: u64,
    /// Certificates of enrolled, unrevoked devices (the generated enrollments add some).
    active: BTreeSet<Hash>,
    coordinators: BTreeSet<Hash>,
    /// Each enrolled device's id, by certificate.
    devices: BTreeMap<Hash, DeviceId>,
    /// The stored chain of each device, by seq.
    chains: BTreeMap<DeviceId, BTreeMap<u64, SealedEvent>>,
    _dir: tempfile::TempDir,
}

fn post_json(path: &str, cert: Hash, body: &impl serde::Serialize) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(version::HEADER, "1")
        .extension(Peer {
            address: ([127, 0, 0, 1], 4000).into(),
            certificate: Some(cert),
        })
        .body(Body::from(serde_json::to_vec(body).expect("serialises")))
        .expect("request")
}

impl World {
    fn new(rt: &tokio::runtime::Runtime, templates: &Templates) -> Self {
        // In memory where there is a tmpfs: every accepted upload and every fork commits with a
        // full sync, which a slow disk would make the whole cost of a run.
        let shm = std::path::Path::new("/dev/shm");
        let dir = if shm.is_dir() {
            tempfile::tempdir_in(shm)
        } else {
            tempfile::tempdir()
        }
        .expect("temp dir");
        let storage = Storage::open(dir.path(), None).expect("storage");
        let now = now_ms();
        let first = enrollment::first_code(&storage, &server_cert(), now).expect("first code");
        let state = AppState::new(storage).expect("state");
        let app = router(state.clone());
        let must = |req: Request<Body>| {
            let app = app.clone();
            let (status, body) = rt.block_on(async move {
                let response = app.oneshot(req).await.unwrap_or_else(|e| match e {});
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX)
                    .await
                    .expect("body");
                (status, body)
            });
            assert!(
                status.is_success(),
                "setting up: {status} {}",
                String::from_utf8_lossy(&body)
            );
        };
        let enroll = |code: &EnrollmentCode, id: DeviceId, cert: Hash, users: Vec<Actor>| {
            must(post_json(
                "/v1/enroll",
                cert,
                &Enroll {
                    lookup: code.lookup(),
                    proof: code.proof(),
                    device_id: id,
                    device_public: vec![7; 32],
                    users,
                },
            ));
        };
        let new_code = |code: &EnrollmentCode, users: Vec<UserId>| {
            must(post_json(
                "/v1/codes",
                coordinator_cert(),
                &NewCode {
                    lookup: code.lookup(),
                    verifier: verifier(&code.proof()),
                    deposit: vec![3; 48],
                    users,
                    coordinator: false,
                },
            ));
        };
        enroll(
            &first,
            device(1),
            coordinator_cert(),
            vec![Actor {
                user_id: user(1),
                role: Role::Coordinator,
            }],
        );
        let upload = |cert: Hash, events: &[SealedEvent]| {
            must(post_json(
                "/v1/events",
                cert,
                &Upload {
                    events: events.to_vec(),
                    case_keys: Vec::new(),
                },
            ));
        };
        upload(coordinator_cert(), &templates.of(1)[..3]);
        new_code(&code(10), vec![user(1)]);
        enroll(&code(10), device(2), teacher_cert(), Vec::new());
        upload(teacher_cert(), &templates.of(2)[..2]);
        new_code(&code(11), Vec::new());
        enroll(&code(11), device(3), revoked_cert(), Vec::new());
        upload(revoked_cert(), &templates.of(3)[..1]);
        assert!(enrollment::revoke(&state.storage, device(3), now).expect("revoked"));
        for seed in POOL_SEEDS {
            new_code(&code(seed), Vec::new());
        }
        let reader = Reader::open(&dir.path().join(DATABASE_FILE));
        let mut world = Self {
            snapshot: reader.snapshot(),
            data_version: reader.data_version(),
            reader,
            state,
            app,
            requests: 0,
            active: [coordinator_cert(), teacher_cert()].into(),
            coordinators: [coordinator_cert()].into(),
            devices: [
                (coordinator_cert(), device(1)),
                (teacher_cert(), device(2)),
                (revoked_cert(), device(3)),
            ]
            .into(),
            chains: BTreeMap::new(),
            _dir: dir,
        };
        world.read_chains();
        world
    }

    fn read_chains(&mut self) {
        let stored = self
            .state
            .storage
            .read(|tx| tx.events_after(0, 1_000_000))
            .expect("events");
        self.chains.clear();
        for e in stored {
            let sealed: SealedEvent = serde_json::from_str(&e.sealed).expect("a stored event");
            self.chains
                .entry(sealed.header.device_id)
                .or_default()
                .insert(sealed.header.seq, sealed);
        }
    }

    fn tip(&self, id: DeviceId) -> ChainTip {
        self.chains
            .get(&id)
            .and_then(|c| c.last_key_value())
            .map_or(ChainTip::EMPTY, |(seq, e)| ChainTip {
                seq: *seq,
                hash: e.hash,
            })
    }

    fn device_of(&self, cert: Option<Hash>) -> DeviceId {
        cert.and_then(|c| self.devices.get(&c).copied())
            .unwrap_or(device(1))
    }

    fn stored_hash(&self, i: &Index) -> Hash {
        let all: Vec<Hash> = self
            .chains
            .values()
            .flat_map(|c| c.values().map(|e| e.hash))
            .collect();
        if all.is_empty() {
            Hash::GENESIS
        } else {
            all[i.index(all.len())]
        }
    }
}

/// Events to continue each chain with: real sealed events, given the next seq and relinked.
struct Templates(BTreeMap<u8, Vec<SealedEvent>>);

impl Templates {
    fn new() -> Self {
        Self(CHAINS.iter().map(|b| (*b, chain_of(6, *b).1)).collect())
    }

    fn of(&self, chain: u8) -> &[SealedEvent] {
        self.0.get(&chain).map_or(&[], Vec::as_slice)
    }
}

fn relink(e: &mut SealedEvent) {
    e.hash = chain::link(&e.prev, &e.header.canonical(), &e.payload_digest);
}

// ---------------------------------------------------------------------------------------------
// Making a recipe concrete.

/// What the checks need to know of the request that was sent.
struct Sent {
    method: Method,
    uri: String,
    route: Option<Route>,
    protocol_ok: bool,
    cert: Option<Hash>,
    headers: Vec<(String, Vec<u8>)>,
    body: Vec<u8>,
}

impl Sent {
    fn describe(&self) -> String {
        let body = if self.body.len() > 3000 {
            format!(
                "{} … ({} bytes)",
                String::from_utf8_lossy(&self.body[..3000]),
                self.body.len()
            )
        } else {
            String::from_utf8_lossy(&self.body).into_owned()
        };
        format!(
            "{} {}\nheaders: {:?}\ncertificate: {:?}\nbody: {body}",
            self.method,
            self.uri,
            self.headers
                .iter()
                .map(|(k, v)| format!("{k}: {}", String::from_utf8_lossy(v)))
                .collect::<Vec<_>>(),
            self.cert
        )
    }
}

struct Fuzzer {
    name: &'static str,
    rt: tokio::runtime::Runtime,
    templates: Templates,
    world: World,
    /// Whether `GET /v1/events` gets any query string (else only well-formed ones).
    raw_pull_queries: bool,
    /// Where this test's requests run: its own thread and its runtime's blocking pool.
    threads: Vec<String>,
    stats: BTreeMap<String, u64>,
    started: Instant,
    worlds: u64,
    full_reads: u64,
}

fn hash_of_pick(pick: &HashPick, right: Hash, world: &World) -> Hash {
    match pick {
        HashPick::Right => right,
        HashPick::Genesis => Hash::GENESIS,
        HashPick::Random(b) => Hash(*b),
        HashPick::Stored(i) => world.stored_hash(i),
    }
}

fn device_of_pick(pick: &DevicePick) -> DeviceId {
    match pick {
        DevicePick::Known(b) => device(*b),
        DevicePick::Fresh(n) => DeviceId::from_u128(*n),
    }
}

fn pick<'a, T>(items: &'a [T], i: &Index) -> &'a T {
    &items[i.index(items.len())]
}

fn role(n: u8) -> Role {
    match n % 4 {
        0 => Role::Teacher,
        1 => Role::Coordinator,
        2 => Role::Director,
        _ => Role::Board,
    }
}

impl Fuzzer {
    fn new(name: &'static str, raw_pull_queries: bool) -> Self {
        install_panic_hook();
        let pool = format!("fuzz-{name}");
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .thread_name(&pool)
            .build()
            .expect("runtime");
        let templates = Templates::new();
        let world = World::new(&rt, &templates);
        Self {
            name,
            rt,
            templates,
            world,
            raw_pull_queries,
            threads: vec![pool, thread_name()],
            stats: BTreeMap::new(),
            started: Instant::now(),
            worlds: 1,
            full_reads: 0,
        }
    }

    fn count(&mut self, what: String) {
        *self.stats.entry(what).or_default() += 1;
    }

    fn cert(&self, pick: &CertPick) -> Option<Hash> {
        match pick {
            CertPick::None => None,
            CertPick::Coordinator => Some(coordinator_cert()),
            CertPick::Teacher => Some(teacher_cert()),
            CertPick::Revoked => Some(revoked_cert()),
            CertPick::Pool(n) => Some(pool_cert(*n)),
            CertPick::Fresh(b) => Some(Hash(*b)),
        }
    }

    fn enroll_doc(&self, r: &EnrollRecipe) -> Value {
        let pool: Vec<EnrollmentCode> = POOL_SEEDS.iter().map(|s| code(*s)).collect();
        let (lookup, own) = match &r.code {
            CodePick::Pool(i) => {
                let c = pick(&pool, i);
                (c.lookup(), Some(c.proof()))
            }
            CodePick::PoolUpper(i) => {
                let c = pick(&pool, i);
                (c.lookup().to_ascii_uppercase(), Some(c.proof()))
            }
            CodePick::First => {
                // Used by the coordinator's device: its proof is not known here.
                (String::new(), None)
            }
            CodePick::Teacher => (code(10).lookup(), Some(code(10).proof())),
            CodePick::Random(s) => (s.clone(), None),
        };
        let proof = match (&r.proof, own) {
            (ProofPick::Right, Some(p)) => p,
            (ProofPick::Upper, Some(p)) => p.to_ascii_uppercase(),
            (ProofPick::OtherPool(i), _) => pick(&pool, i).proof(),
            (ProofPick::Random(s), _) => s.clone(),
            _ => String::new(),
        };
        let doc = Enroll {
            lookup,
            proof,
            device_id: device_of_pick(&r.device),
            device_public: vec![9; r.public_len],
            users: r
                .users
                .iter()
                .map(|(u, ro)| Actor {
                    user_id: user(u128::from(*u)),
                    role: role(*ro),
                })
                .collect(),
        };
        serde_json::to_value(doc).expect("serialises")
    }

    fn hello_doc(&self, r: &HelloRecipe, cert: Option<Hash>) -> Value {
        let tip = self.world.tip(self.world.device_of(cert));
        let seq = match r.seq {
            SeqPick::Tip(d) => tip.seq.wrapping_add_signed(i64::from(d)),
            SeqPick::Special(s) => s,
        };
        let hash = hash_of_pick(&r.hash, tip.hash, &self.world);
        serde_json::to_value(Hello {
            tip: ChainTip { seq, hash },
        })
        .expect("serialises")
    }

    fn new_code_doc(&self, r: &NewCodeRecipe) -> Value {
        let lookup = match &r.lookup {
            LookupPick::Fresh(i) => (*pick(&FRESH_LOOKUPS, i)).to_owned(),
            LookupPick::FreshUpper(i) => pick(&FRESH_LOOKUPS, i).to_ascii_uppercase(),
            LookupPick::Pool(i) => code(*pick(&POOL_SEEDS, i)).lookup(),
            LookupPick::Random(s) => s.clone(),
        };
        let users = match r.users {
            UsersPick::None => Vec::new(),
            UsersPick::Coordinator => vec![user(1)],
            UsersPick::Unknown(n) => vec![user(1), user(n)],
            UsersPick::TooMany => vec![user(1); 257],
        };
        serde_json::to_value(NewCode {
            lookup,
            verifier: Hash(r.verifier),
            deposit: vec![5; r.deposit_len],
            users,
            coordinator: r.coordinator,
        })
        .expect("serialises")
    }

    fn upload(&self, r: &UploadRecipe, cert: Option<Hash>) -> Upload {
        let id = if r.chain == 0 {
            self.world.device_of(cert)
        } else {
            device(r.chain)
        };
        let known = CHAINS
            .iter()
            .copied()
            .find(|b| device(*b) == id)
            .unwrap_or(1);
        let templates = self.templates.of(known);
        let empty = BTreeMap::new();
        let stored = self.world.chains.get(&id).unwrap_or(&empty);
        let tip = self.world.tip(id).seq;
        let first = tip.saturating_add_signed(i64::from(r.start) + 1).max(1);
        let mut events: Vec<SealedEvent> = Vec::new();
        let mut prev = stored.get(&(first - 1)).map_or(Hash::GENESIS, |e| e.hash);
        for seq in first..first + r.len as u64 {
            let e = match stored.get(&seq) {
                Some(e) => e.clone(),
                None => {
                    let mut e = templates[(seq as usize - 1) % templates.len()].clone();
                    e.header.seq = seq;
                    e.header.device_id = id;
                    e.prev = prev;
                    relink(&mut e);
                    e
                }
            };
            prev = e.hash;
            events.push(e);
        }
        let chain_case = templates[0].header.case_id;
        let case_of = |c: &CasePick| match c {
            CasePick::Chain => chain_case,
            CasePick::SchoolLog => SCHOOL_LOG,
            CasePick::Random(n) => CaseId::from_u128(*n),
        };
        for (i, edit) in &r.edits {
            if events.is_empty() {
                break;
            }
            let at = i.index(events.len());
            match edit {
                EventEdit::Duplicate => {
                    let copy = events[at].clone();
                    events.insert(at, copy);
                    continue;
                }
                EventEdit::Remove => {
                    events.remove(at);
                    continue;
                }
                EventEdit::SwapNext => {
                    if at + 1 < events.len() {
                        events.swap(at, at + 1);
                    }
                    continue;
                }
                _ => {}
            }
            let right_prev = at
                .checked_sub(1)
                .and_then(|j| events.get(j))
                .map_or(Hash::GENESIS, |e| e.hash);
            let e = &mut events[at];
            match edit {
                EventEdit::SeqDelta(d) => {
                    e.header.seq = e.header.seq.wrapping_add_signed(i64::from(*d));
                }
                EventEdit::Seq(s) => e.header.seq = *s,
                EventEdit::Device(d) => e.header.device_id = device_of_pick(d),
                EventEdit::Kind(k) => {
                    e.header.kind = match k {
                        KindPick::Named(n) => (*n).to_owned(),
                        KindPick::Empty => String::new(),
                        KindPick::Len(n) => "k".repeat(*n),
                        KindPick::Text(t) => t.clone(),
                    }
                }
                EventEdit::Format(f) => e.header.format = *f,
                EventEdit::Author(a) => e.header.author = user(*a),
                EventEdit::Case(c) => e.header.case_id = case_of(c),
                EventEdit::Id(n) => e.header.id = EventId::from_u128(*n),
                EventEdit::Hlc(w, l) => {
                    e.header.hlc = Hlc {
                        wall_ms: *w,
                        logical: *l,
                    }
                }
                EventEdit::Involved(n) => {
                    e.header.audience.involved = (0..*n as u128).map(|u| user(u + 1)).collect();
                }
                EventEdit::StaffCase(b) => e.header.audience.staff_case = *b,
                EventEdit::Suspect(s) => e.header.audience.suspect = s.map(user),
                EventEdit::Directory(d) => {
                    e.header.directory = d.map(|(removed, u, ro)| {
                        if removed {
                            DirectoryChange::Removed { user: user(u) }
                        } else {
                            DirectoryChange::Role {
                                user: user(u),
                                role: role(ro),
                            }
                        }
                    });
                }
                EventEdit::Prev(h) => e.prev = hash_of_pick(h, right_prev, &self.world),
                EventEdit::Hash(h) => e.hash = hash_of_pick(h, e.hash, &self.world),
                EventEdit::Digest(h) => {
                    e.payload_digest = hash_of_pick(h, e.payload_digest, &self.world);
                }
                EventEdit::DropPayload => e.payload = None,
                EventEdit::FlipPayload(i) => {
                    if let Some(p) = e.payload.as_mut().filter(|p| !p.is_empty()) {
                        let n = i.index(p.len());
                        p[n] ^= 0x40;
                    }
                }
                EventEdit::TruncatePayload(i) => {
                    if let Some(p) = e.payload.as_mut() {
                        let n = i.index(p.len().max(1));
                        p.truncate(n);
                    }
                }
                EventEdit::PayloadLen(n) => e.payload = Some(vec![1; *n]),
                EventEdit::Duplicate | EventEdit::Remove | EventEdit::SwapNext => {}
            }
        }
        let (digests, along, hashes) = match r.relink {
            Relink::No => (false, false, false),
            Relink::Hashes => (false, false, true),
            Relink::Chain => (false, true, true),
            Relink::Digests => (true, true, true),
        };
        for i in 0..events.len() {
            let before = i.checked_sub(1).map(|j| events[j].hash);
            let e = &mut events[i];
            if digests {
                if let Some(p) = &e.payload {
                    e.payload_digest = Hash::of(p);
                }
            }
            if let (true, Some(h)) = (along, before) {
                e.prev = h;
            }
            if hashes {
                relink(e);
            }
        }
        match r.bulk {
            Bulk::No | Bulk::TooManyKeys => {}
            Bulk::TooManyEvents | Bulk::FullBatch => {
                let n = if matches!(r.bulk, Bulk::FullBatch) {
                    MAX_BATCH
                } else {
                    MAX_BATCH + 1
                };
                let filler = events
                    .first()
                    .cloned()
                    .unwrap_or_else(|| templates[0].clone());
                events.resize(n, filler);
            }
        }
        let mut case_keys: Vec<WrappedCaseKey> = r
            .keys
            .iter()
            .map(|(c, len)| WrappedCaseKey {
                case_id: case_of(c),
                wrapped: vec![4; *len],
            })
            .collect();
        if matches!(r.bulk, Bulk::TooManyKeys) {
            case_keys.resize(
                MAX_BATCH + 1,
                WrappedCaseKey {
                    case_id: chain_case,
                    wrapped: vec![4; 40],
                },
            );
        }
        Upload { events, case_keys }
    }

    fn body(&self, pick: &BodyPick, cert: Option<Hash>) -> Vec<u8> {
        match pick {
            BodyPick::Empty => Vec::new(),
            BodyPick::Bytes(b) => b.clone(),
            BodyPick::Oversized(true) => vec![b' '; MAX_REQUEST + 1],
            BodyPick::Oversized(false) => {
                let mut b = b"{}".to_vec();
                b.resize(MAX_REQUEST, b' ');
                b
            }
            BodyPick::Json { doc, edits, bytes } => {
                let mut value = match doc {
                    Doc::Enroll(r) => self.enroll_doc(r),
                    Doc::Hello(r) => self.hello_doc(r, cert),
                    Doc::NewCode(r) => self.new_code_doc(r),
                    Doc::Upload(r) => {
                        serde_json::to_value(self.upload(r, cert)).expect("serialises")
                    }
                    Doc::Any(v) => v.clone(),
                };
                for edit in edits {
                    apply_value_edit(&mut value, edit);
                }
                let mut text = String::new();
                if value.as_str() != Some(GONE) {
                    emit(&value, &mut text);
                }
                let mut out = text.into_bytes();
                for edit in bytes {
                    apply_byte_edit(&mut out, edit);
                }
                out
            }
        }
    }

    fn uri(&mut self, method: &Method, target: &Target) -> String {
        match target {
            Target::Raw(p) => p.clone(),
            Target::Route(route, query) => {
                let path = route.path();
                let pulls =
                    *route == Route::Events && (method == Method::GET || method == Method::HEAD);
                match query {
                    QueryPick::None => path.to_owned(),
                    QueryPick::Pull { after, limit, swap } => {
                        let mut parts: Vec<String> = Vec::new();
                        if let Some(a) = after {
                            parts.push(format!("after={a}"));
                        }
                        if let Some(l) = limit {
                            parts.push(format!("limit={l}"));
                        }
                        if *swap {
                            parts.reverse();
                        }
                        format!("{path}?{}", parts.join("&"))
                    }
                    QueryPick::Raw(_) if pulls && !self.raw_pull_queries => {
                        // A malformed query to the pull is answered in axum's plain text (see
                        // `pull_queries`); here it goes without.
                        self.count("(pull query left out)".to_owned());
                        path.to_owned()
                    }
                    QueryPick::Raw(q) => format!("{path}?{q}"),
                }
            }
        }
    }

    fn request(&mut self, case: &Case) -> Result<(Request<Body>, Sent), TestCaseError> {
        let cert = self.cert(&case.cert);
        let body = self.body(&case.body, cert);
        let uri = self.uri(&case.method, &case.target);
        let mut builder = Request::builder().method(case.method.clone()).uri(&uri);
        let mut headers = Vec::new();
        let mut header = |builder: axum::http::request::Builder, value: &[u8]| {
            match HeaderValue::from_bytes(value) {
                Ok(v) => {
                    headers.push((version::HEADER.to_owned(), value.to_vec()));
                    builder.header(version::HEADER, v)
                }
                // Not a header value at all: no client can send it.
                Err(_) => builder,
            }
        };
        match &case.protocol {
            ProtocolPick::Missing => {}
            ProtocolPick::Valid => builder = header(builder, b"1"),
            ProtocolPick::Value(v) => builder = header(builder, v),
            ProtocolPick::Twice(v) => {
                builder = header(builder, v);
                builder = header(builder, b"1");
            }
        }
        let protocol_ok = headers.first().is_some_and(|(_, v)| {
            std::str::from_utf8(v)
                .ok()
                .and_then(|v| v.parse::<u16>().ok())
                == Some(version::PROTOCOL)
        });
        let request = builder
            .extension(Peer {
                address: ([10, 0, 0, case.address], 4000).into(),
                certificate: cert,
            })
            .body(Body::from(body.clone()));
        let request = match request {
            Ok(r) => r,
            Err(e) => {
                return Err(TestCaseError::reject(format!("not a request: {uri}: {e}")));
            }
        };
        let route = Route::of_path(request.uri().path());
        Ok((
            request,
            Sent {
                method: case.method.clone(),
                uri,
                route,
                protocol_ok,
                cert,
                headers,
                body,
            },
        ))
    }

    fn run(&mut self, case: &Case) -> Result<(), TestCaseError> {
        let w = &self.world;
        if w.snapshot.events() > MAX_EVENTS
            || w.snapshot.forks.0 > MAX_FORKS
            || w.requests > MAX_REQUESTS_PER_WORLD
        {
            self.world = World::new(&self.rt, &self.templates);
            self.worlds += 1;
        }
        self.world.requests += 1;
        // The enrollment rate limiter counts wrong codes per address (of 4 here) and overall:
        // it starts afresh now and then, so that `/v1/enroll` is refused as rate-limited at
        // times but not for the rest of the run.
        if self.world.requests.is_multiple_of(LIMITER_WINDOW) {
            *self
                .world
                .state
                .limiter
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) = Default::default();
        }
        let (request, sent) = match self.request(case) {
            Ok(r) => r,
            Err(e) => {
                self.count("(not a valid URI)".to_owned());
                return Err(e);
            }
        };
        let panics_before = panics_on(&self.threads).len();
        let app = self.world.app.clone();
        let answer = std::panic::catch_unwind(AssertUnwindSafe(|| {
            // The timer must be made inside the runtime.
            self.rt.block_on(async move {
                tokio::time::timeout(Duration::from_secs(60), async move {
                    let response = app.oneshot(request).await.unwrap_or_else(|e| match e {});
                    let (parts, body) = response.into_parts();
                    let streams = parts
                        .headers
                        .get(axum::http::header::CONTENT_TYPE)
                        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
                    // The stream never ends: its status line and headers are all there is to check.
                    let body = if streams {
                        None
                    } else {
                        Some(axum::body::to_bytes(body, usize::MAX).await)
                    };
                    (parts, body)
                })
                .await
            })
        }));
        let new_panics: Vec<String> = panics_on(&self.threads)
            .into_iter()
            .skip(panics_before)
            .collect();
        let fail = |what: String| {
            Err(TestCaseError::fail(format!(
                "{what}\n--- request ---\n{}",
                sent.describe()
            )))
        };
        if !new_panics.is_empty() {
            self.count("PANIC".to_owned());
            return fail(format!("the server panicked: {new_panics:?}"));
        }
        let (parts, body) = match answer {
            Err(_) => return fail("the handler panicked".to_owned()),
            Ok(Err(_)) => return fail("no answer within 60 s".to_owned()),
            Ok(Ok(a)) => a,
        };
        let body = match body {
            None => None,
            Some(Ok(b)) => Some(b.to_vec()),
            Some(Err(e)) => return fail(format!("the response body failed: {e}")),
        };
        let status = parts.status;
        let result = self.check(&sent, status, body.as_deref());
        let path = sent.route.map_or("(other)", Route::path);
        let label = match &result {
            Ok(Some(code)) => format!("{} {path} {} {code:?}", sent.method, status.as_u16()),
            _ => format!("{} {path} {}", sent.method, status.as_u16()),
        };
        self.count(label);
        match result {
            Ok(_) => Ok(()),
            Err(why) => fail(format!(
                "{why}\n--- response ---\n{status} {}",
                body.as_deref()
                    .map(String::from_utf8_lossy)
                    .unwrap_or_default()
            )),
        }
    }

    /// The properties of one answer. `Ok(Some(code))` for a refusal in the protocol's shape.
    fn check(
        &mut self,
        sent: &Sent,
        status: StatusCode,
        body: Option<&[u8]>,
    ) -> Result<Option<ErrorCode>, String> {
        if status == StatusCode::INTERNAL_SERVER_ERROR {
            return Err("a 500: the server failed".to_owned());
        }
        let head = sent.method == Method::HEAD;
        let route = match sent.route {
            None => {
                if status != StatusCode::NOT_FOUND {
                    return Err(format!("an unknown path answered {status}, not 404"));
                }
                self.unchanged(sent, status, None)?;
                return Ok(None);
            }
            Some(r) => r,
        };
        if !route.allows(&sent.method) {
            if status != StatusCode::METHOD_NOT_ALLOWED {
                return Err(format!(
                    "{} {} answered {status}, not 405",
                    sent.method,
                    route.path()
                ));
            }
            self.unchanged(sent, status, None)?;
            return Ok(None);
        }
        if status.is_success() {
            return self.accepted(sent, route, status, body).map(|()| None);
        }
        let code = match body {
            Some([]) if head => None,
            Some(b) => match serde_json::from_slice::<SyncError>(b) {
                Ok(e) => {
                    if e.message.is_empty() {
                        return Err("a refusal without a message".to_owned());
                    }
                    if status_of(e.code) != status {
                        return Err(format!(
                            "code {:?} came with {status}, not {}",
                            e.code,
                            status_of(e.code)
                        ));
                    }
                    Some(e.code)
                }
                Err(_) => return Err(format!("a {status} that is not {{code, message}}")),
            },
            None => return Err(format!("a {status} that streams")),
        };
        self.unchanged(sent, status, code)?;
        Ok(code)
    }

    /// After a refusal (or an answer that stores nothing): nothing stored changed, but for a
    /// fork's evidence.
    fn unchanged(
        &mut self,
        sent: &Sent,
        status: StatusCode,
        code: Option<ErrorCode>,
    ) -> Result<(), String> {
        let w = &mut self.world;
        let version = w.reader.data_version();
        let committed = version != w.data_version;
        w.data_version = version;
        if !committed && !w.requests.is_multiple_of(FULL_CHECK_EVERY) {
            return Ok(());
        }
        self.full_reads += 1;
        let now = w.reader.snapshot();
        if now == w.snapshot {
            return Ok(());
        }
        let fork_kept = code == Some(ErrorCode::Fork)
            && sent.route == Some(Route::Events)
            && sent.method == Method::POST;
        if fork_kept && now.is_one_more_fork_than(&w.snapshot) {
            w.snapshot = now;
            return Ok(());
        }
        Err(format!(
            "answered {status} {code:?}, yet stored data changed: {}",
            w.snapshot.diff(&now)
        ))
    }

    fn accepted(
        &mut self,
        sent: &Sent,
        route: Route,
        status: StatusCode,
        body: Option<&[u8]>,
    ) -> Result<(), String> {
        if route != Route::Health && !sent.protocol_ok {
            return Err("accepted without a valid protocol header".to_owned());
        }
        let device = sent.cert.filter(|c| self.world.active.contains(c));
        if route.needs_device() && device.is_none() {
            return Err("accepted from a device that is not enrolled (or revoked)".to_owned());
        }
        if sent.method == Method::HEAD {
            return self.unchanged(sent, status, None);
        }
        fn shape<T: serde::de::DeserializeOwned>(body: Option<&[u8]>) -> Result<T, String> {
            let b = body.ok_or("no body")?;
            serde_json::from_slice(b).map_err(|e| format!("an answer of the wrong shape: {e}"))
        }
        match (route, &sent.method) {
            (Route::Health, _) => {
                let h: Health = shape(body)?;
                if h.protocol != version::PROTOCOL {
                    return Err("health: wrong protocol".to_owned());
                }
                self.unchanged(sent, status, None)
            }
            (Route::Hello, _) => {
                shape::<Welcome>(body)?;
                self.unchanged(sent, status, None)
            }
            (Route::Events, m) if m == Method::GET => {
                shape::<PullPage>(body)?;
                self.unchanged(sent, status, None)
            }
            (Route::Stream, _) => {
                if body.is_some() {
                    return Err("the stream answered without streaming".to_owned());
                }
                self.unchanged(sent, status, None)
            }
            (Route::Events, _) => {
                let receipt: UploadReceipt = shape(body)?;
                let before = self.world.snapshot.events();
                self.resnapshot();
                let after = self.world.snapshot.events();
                self.count(format!(
                    "(upload accepted: {})",
                    if receipt.appended > 0 {
                        "events appended"
                    } else {
                        "duplicates only"
                    }
                ));
                if after as u64 != before as u64 + receipt.appended {
                    return Err(format!(
                        "the receipt says {} appended, the server stored {before} -> {after} events",
                        receipt.appended
                    ));
                }
                self.world.read_chains();
                let id = self.world.device_of(sent.cert);
                if self.world.tip(id) != receipt.tip {
                    return Err("the receipt's tip is not the stored tip".to_owned());
                }
                Ok(())
            }
            (Route::Codes, _) => {
                shape::<CodeIssued>(body)?;
                if !sent
                    .cert
                    .is_some_and(|c| self.world.coordinators.contains(&c))
                {
                    return Err("a code made by a device that is not a coordinator's".to_owned());
                }
                self.resnapshot();
                Ok(())
            }
            (Route::Enroll, _) => {
                let enrolled: Enrolled = shape(body)?;
                let cert = sent.cert.ok_or("enrolled without a certificate")?;
                if self.world.active.contains(&cert)
                    || [coordinator_cert(), teacher_cert(), revoked_cert()].contains(&cert)
                {
                    return Err("a certificate enrolled a second time".to_owned());
                }
                if enrolled.coordinator {
                    return Err("a pool code made a coordinator".to_owned());
                }
                let id = serde_json::from_slice::<Enroll>(&sent.body)
                    .map_err(|e| format!("an accepted enrollment that does not parse: {e}"))?
                    .device_id;
                self.world.active.insert(cert);
                self.world.devices.insert(cert, id);
                self.resnapshot();
                Ok(())
            }
        }
    }

    fn resnapshot(&mut self) {
        let w = &mut self.world;
        w.data_version = w.reader.data_version();
        w.snapshot = w.reader.snapshot();
        self.full_reads += 1;
    }

    fn report(&self, cases: u32) {
        let elapsed = self.started.elapsed();
        let mut lines: Vec<(&String, &u64)> = self.stats.iter().collect();
        lines.sort_by(|a, b| b.1.cmp(a.1));
        eprintln!(
            "fuzz {}: {cases} cases in {:.1} s ({:.0} µs each), {} worlds, {} full reads",
            self.name,
            elapsed.as_secs_f64(),
            elapsed.as_secs_f64() * 1e6 / f64::from(cases.max(1)),
            self.worlds,
            self.full_reads
        );
        for (what, n) in lines {
            eprintln!("  {n:>9}  {what}");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The tests.

fn total_cases() -> u64 {
    match std::env::var("MELDCODE_FUZZ_CASES") {
        Ok(v) => v
            .trim()
            .replace(['_', ','], "")
            .parse()
            .expect("MELDCODE_FUZZ_CASES is a number"),
        Err(_) => DEFAULT_CASES,
    }
}

/// This test's part of the total (the parts add up to 100).
fn cases(percent: u64) -> u32 {
    u32::try_from((total_cases() * percent).div_ceil(100).max(1)).unwrap_or(u32::MAX)
}

fn fuzz(name: &'static str, percent: u64, strategy: BoxedStrategy<Case>, raw_pull_queries: bool) {
    let cases = cases(percent);
    let fuzzer = RefCell::new(Fuzzer::new(name, raw_pull_queries));
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: 2000,
        max_shrink_time: 120_000,
        max_global_rejects: cases,
        ..Config::default()
    });
    let result = runner.run(&strategy, |case| fuzzer.borrow_mut().run(&case));
    fuzzer.borrow().report(cases);
    if let Err(e) = result {
        panic!("fuzz {name}: {e}");
    }
}

#[test]
fn any_request_is_answered_and_a_refusal_changes_nothing() {
    fuzz("any_request", 25, any_request(), true);
}

#[test]
fn mutated_request_bodies_are_refused_in_the_protocols_shape() {
    fuzz("mutated_json", 25, mutated_json(), true);
}

#[test]
fn mutated_uploads_of_real_chains_store_nothing_unless_accepted() {
    fuzz("mutated_uploads", 30, mutated_uploads(), false);
}

#[test]
fn enrollments_and_codes_hold_up() {
    fuzz("enrollment", 20, enrollment_requests(), false);
}

#[test]
fn any_pull_query_is_answered_in_the_protocols_shape() {
    fuzz("pull_queries", 10, pull_queries(), true);
}

/// The checks themselves: a change behind the server's back is seen, a fork's evidence is not
/// mistaken for one, and the world's setup holds what it should.
#[test]
fn the_snapshot_sees_what_changes() {
    let mut f = Fuzzer::new("self-check", false);
    let w = &f.world;
    assert_eq!(w.tip(device(1)).seq, 3);
    assert_eq!(w.tip(device(2)).seq, 2);
    assert_eq!(w.snapshot.events(), 6);
    assert_eq!(w.snapshot.forks.0, 0);
    let sent = Sent {
        method: Method::POST,
        uri: "/v1/events".to_owned(),
        route: Some(Route::Events),
        protocol_ok: true,
        cert: Some(coordinator_cert()),
        headers: Vec::new(),
        body: Vec::new(),
    };
    // Nothing happened: fine.
    assert!(f
        .unchanged(&sent, StatusCode::CONFLICT, Some(ErrorCode::Gap))
        .is_ok());
    // A device revoked behind the server's back is a change.
    enrollment::revoke(&f.world.state.storage, device(2), now_ms()).expect("revoke");
    let seen = f.unchanged(&sent, StatusCode::CONFLICT, Some(ErrorCode::Gap));
    assert!(
        seen.as_ref().is_err_and(|e| e.contains("devices")),
        "{seen:?}"
    );
    f.resnapshot();
    // `last_seen` moves on its own: not a change.
    f.world
        .state
        .storage
        .write(|tx| tx.touch(device(1), now_ms() + 3_600_000))
        .expect("touch");
    assert!(f
        .unchanged(&sent, StatusCode::CONFLICT, Some(ErrorCode::Gap))
        .is_ok());
    // A real fork through the router: refused, one row of evidence, nothing else.
    let chain = &f.world.chains[&device(1)];
    let mut fork = chain[&2].clone();
    fork.header.kind = "forked".into();
    fork.prev = chain[&1].hash;
    relink(&mut fork);
    let body = serde_json::to_vec(&Upload {
        events: vec![fork],
        case_keys: Vec::new(),
    })
    .expect("serialises");
    let case = Case {
        method: Method::POST,
        target: Target::Route(Route::Events, QueryPick::None),
        protocol: ProtocolPick::Valid,
        cert: CertPick::Coordinator,
        address: 1,
        body: BodyPick::Bytes(body),
    };
    f.run(&case).expect("a fork is refused and kept apart");
    assert_eq!(f.world.snapshot.forks.0, 1);
    assert_eq!(
        f.stats.get("POST /v1/events 409 Fork"),
        Some(&1),
        "{:?}",
        f.stats
    );
    // The same fork answered as some other refusal would be a change.
    f.world
        .state
        .storage
        .write(|tx| tx.keep_fork(device(1), 2, now_ms(), "{}"))
        .expect("fork");
    assert!(f
        .unchanged(&sent, StatusCode::CONFLICT, Some(ErrorCode::Gap))
        .is_err());
}

/// Found by `mutated_uploads`: in `check_shape` (crates/sync/src/ingest.rs, "an upload's events
/// are consecutive") `before.header.seq + 1` overflows when an event with seq u64::MAX (and a
/// valid hash) is followed by another event of the same device. In a debug build that panics
/// on the blocking pool and the device gets a 500 `internal` "the server is shutting down"; in a
/// release build it wraps and the batch is refused as a gap, as it should be.
#[test]
fn a_batch_with_seq_u64_max_before_another_event_is_refused() {
    let mut f = Fuzzer::new("seq-overflow", false);
    let chain = &f.world.chains[&device(1)];
    let mut last = chain[&3].clone();
    last.header.seq = u64::MAX;
    relink(&mut last);
    let next = chain[&1].clone();
    let body = serde_json::to_vec(&Upload {
        events: vec![last, next],
        case_keys: Vec::new(),
    })
    .expect("serialises");
    f.run(&Case {
        method: Method::POST,
        target: Target::Route(Route::Events, QueryPick::None),
        protocol: ProtocolPick::Valid,
        cert: CertPick::Coordinator,
        address: 1,
        body: BodyPick::Bytes(body),
    })
    .expect("refused as a gap, nothing stored");
}
