//! HTTPS for devices: TLS 1.3 with client certificates, JSON bodies, `{code, message}`
//! refusals, and a server-sent-events stream that tells devices when there is something new.

mod auth;
pub mod error;
mod handlers;
pub mod limiter;

use crate::storage::Storage;
use axum::routing::{get, post};
use axum::{Extension, Router};
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use meldcode_sync::Hash;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio_rustls::TlsAcceptor;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub storage: Arc<Storage>,
    /// The newest cursor: streams wake on every change.
    pub latest: Arc<watch::Sender<u64>>,
    pub limiter: Arc<Mutex<limiter::Limiter>>,
}

impl AppState {
    pub fn new(storage: Storage) -> Result<Self, crate::storage::StorageError> {
        let latest = storage.read(|tx| tx.latest_cursor())?;
        Ok(Self {
            storage: Arc::new(storage),
            latest: Arc::new(watch::channel(latest).0),
            limiter: Arc::default(),
        })
    }
}

/// Who is on the other end of a connection: its address and its client certificate's hash.
#[derive(Clone, Copy, Debug)]
pub struct Peer {
    pub address: SocketAddr,
    pub certificate: Option<Hash>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/health", get(handlers::health))
        .route("/v1/enroll", post(handlers::enroll))
        .route("/v1/hello", post(handlers::hello))
        .route("/v1/events", post(handlers::upload).get(handlers::pull))
        .route("/v1/pins", post(handlers::pins))
        .route("/v1/stream", get(handlers::stream))
        .route("/v1/codes", post(handlers::new_code))
        .route("/v1/devices", get(handlers::devices))
        .route("/v1/devices/revoke", post(handlers::revoke))
        .layer(axum::extract::DefaultBodyLimit::max(
            meldcode_sync::ingest::MAX_REQUEST,
        ))
        .with_state(state)
}

/// Serves until `shutdown` resolves: TLS handshakes with a deadline, one HTTP/1.1 connection
/// per device, the peer's certificate handed to every request of its connection.
pub async fn serve(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let acceptor = TlsAcceptor::from(tls);
    let app = router(state);
    tokio::pin!(shutdown);
    loop {
        let (tcp, address) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(Ok(stream)) =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(tcp)).await
            else {
                tracing::debug!("TLS handshake failed or timed out");
                return;
            };
            let certificate = stream
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| Hash::of(c.as_ref()));
            let service = TowerToHyperService::new(app.layer(Extension(Peer {
                address,
                certificate,
            })));
            if let Err(e) = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(Duration::from_secs(30))
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
}
