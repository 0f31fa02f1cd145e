#![allow(dead_code)] // shared by several test binaries and the bench; each uses a part
//! A `meldcode-server` inside the test process, on 127.0.0.1, and raw devices that enroll
//! with it and speak the protocol directly (no store behind them).

use meldcode_engine::{Actor, DeviceId};
use meldcode_server::http::{self, AppState};
use meldcode_server::storage::Storage;
use meldcode_server::{enrollment, tls};
use meldcode_store::sync::transport::{ClientIdentity, Pin, Transport};
use meldcode_sync::api::Enroll;
use meldcode_sync::enroll::EnrollmentCode;
use meldcode_sync::Hash;

pub use meldcode_server::now_ms;

pub struct InProcess {
    pub url: String,
    pub fingerprint: Hash,
    pub state: AppState,
    _dir: tempfile::TempDir,
    address: std::net::SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl InProcess {
    pub fn start(database_url: Option<&str>) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let fingerprint = tls::create(dir.path(), &["localhost".to_owned()]).expect("certificate");
        let storage = Storage::open(dir.path(), database_url).expect("storage");
        let state = AppState::new(storage).expect("state");
        let mut server = Self {
            url: String::new(),
            fingerprint,
            state,
            _dir: dir,
            address: "127.0.0.1:0".parse().expect("address"),
            stop: None,
            runtime: None,
        };
        server.serve();
        server
    }

    fn serve(&mut self) {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind(self.address))
            .expect("bind");
        self.address = listener.local_addr().expect("address");
        self.url = format!("https://{}", self.address);
        let config = tls::Identity::load(self._dir.path())
            .expect("identity")
            .server_config()
            .expect("tls config");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        runtime.spawn(http::serve(listener, config, self.state.clone(), async {
            let _ = stopped.await;
        }));
        self.stop = Some(stop);
        self.runtime = Some(runtime);
    }

    /// The school's network is down: nothing answers on the server's address.
    pub fn go_offline(&mut self) {
        self.shut_down();
    }

    /// Back on the same address, with everything it stored.
    pub fn come_back(&mut self) {
        self.serve();
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_timeout(std::time::Duration::from_secs(5));
        }
    }

    /// The server's data folder (its SQLite database, unless it runs on PostgreSQL).
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    pub fn first_code(&self) -> EnrollmentCode {
        enrollment::first_code(&self.state.storage, &self.fingerprint, now_ms())
            .expect("first code")
    }

    /// Everything the server holds that a request could change, to compare before and after.
    pub fn snapshot(&self) -> String {
        self.state
            .storage
            .read(|tx| {
                Ok(format!(
                    "{:?}|{:?}|{:?}|{:?}",
                    tx.counts()?,
                    tx.heads()?,
                    tx.events_after(0, 100_000)?,
                    tx.devices()?
                ))
            })
            .expect("snapshot")
    }
}

impl Drop for InProcess {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// A device that speaks the protocol without a store: its own certificate and id.
pub struct RawDevice {
    pub id: DeviceId,
    pub transport: Transport,
}

impl RawDevice {
    /// A transport with a fresh certificate that no server knows.
    pub fn unenrolled(server: &InProcess, id: DeviceId) -> Self {
        let identity = ClientIdentity::generate().expect("identity");
        Self {
            id,
            transport: Transport::new(&server.url, Pin::Full(server.fingerprint), &identity)
                .expect("transport"),
        }
    }

    pub fn enroll(
        server: &InProcess,
        code: &EnrollmentCode,
        id: DeviceId,
        users: Vec<Actor>,
    ) -> Self {
        let device = Self::unenrolled(server, id);
        device
            .transport
            .enroll(&Enroll {
                lookup: code.lookup(),
                proof: code.proof(),
                device_id: id,
                device_public: vec![7; 32],
                users,
            })
            .expect("enrolled");
        device
    }
}
