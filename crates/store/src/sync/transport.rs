//! HTTPS to the school's server: TLS 1.3 with this device's client certificate, and the
//! server's certificate pinned (by the enrollment code's fingerprint until the full one is
//! known). No certificate authority is trusted; no other server is accepted.

use crate::error::{Result, StoreError};
use meldcode_sync::api::{
    CodeIssued, Devices, Enroll, Enrolled, Hello, NewCode, PinReceipt, PinUpload, PullPage, Revoke,
    Revoked, Upload, UploadReceipt, Welcome,
};
use meldcode_sync::{version, Hash, SyncError};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::io::{BufRead, BufReader};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How the server's certificate is recognised.
#[derive(Clone, Debug)]
pub enum Pin {
    /// The first 16 bytes of its SHA-256, from an enrollment code.
    Prefix([u8; 16]),
    /// Its whole SHA-256, kept since enrollment.
    Full(Hash),
}

#[derive(Debug)]
struct Pinned {
    pin: Pin,
    provider: Arc<CryptoProvider>,
    /// The full fingerprint of the certificate accepted, to keep after enrollment.
    seen: Mutex<Option<Hash>>,
}

impl ServerCertVerifier for Pinned {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let fingerprint = Hash::of(end_entity.as_ref());
        let matches = match &self.pin {
            Pin::Prefix(p) => fingerprint.0[..16] == p[..],
            Pin::Full(h) => fingerprint == *h,
        };
        if !matches {
            return Err(rustls::Error::General(
                "not the school's server (certificate does not match)".into(),
            ));
        }
        if let Ok(mut seen) = self.seen.lock() {
            *seen = Some(fingerprint);
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

/// This device's client certificate and key, PEM.
pub struct ClientIdentity {
    pub certificate_pem: String,
    pub key_pem: zeroize::Zeroizing<String>,
}

impl ClientIdentity {
    /// A new self-signed certificate: its hash is the device's name at the server.
    pub fn generate() -> Result<Self> {
        let made = rcgen::generate_simple_self_signed(vec!["meldcode-device".to_owned()]).map_err(
            |_| StoreError::Invalid {
                message: "Het certificaat van dit apparaat kon niet worden gemaakt.".into(),
            },
        )?;
        Ok(Self {
            certificate_pem: made.cert.pem(),
            key_pem: zeroize::Zeroizing::new(made.signing_key.serialize_pem()),
        })
    }
}

/// Cheap to clone: clones share the client, its connections and the pinned certificate.
#[derive(Clone)]
pub struct Transport {
    http: reqwest::blocking::Client,
    base: String,
    verifier: Arc<Pinned>,
}

fn unreachable(e: &reqwest::Error) -> StoreError {
    // The URL and the error's kind only: nothing personal travels in a request's failure.
    StoreError::ServerUnreachable {
        detail: if e.is_timeout() {
            "time-out".into()
        } else if e.is_connect() {
            "geen verbinding".into()
        } else {
            "verbinding verbroken".into()
        },
    }
}

/// Accepts `https://host:port` with or without a trailing slash; refuses anything else.
pub fn normalise_url(url: &str) -> Result<String> {
    let trimmed = url.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .ok_or_else(|| StoreError::Invalid {
            message: "Het adres van de schoolserver begint met https://".into(),
        })?;
    if rest.is_empty() || rest.contains('/') || rest.contains(char::is_whitespace) {
        return Err(StoreError::Invalid {
            message: "Dat is geen adres van een schoolserver (https://naam:poort).".into(),
        });
    }
    Ok(trimmed.to_owned())
}

impl Transport {
    pub fn new(base: &str, pin: Pin, identity: &ClientIdentity) -> Result<Self> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Arc::new(Pinned {
            pin,
            provider: provider.clone(),
            seen: Mutex::new(None),
        });
        let bad_identity = || StoreError::Damaged {
            detail: "het certificaat van dit apparaat".into(),
        };
        let certs = vec![
            CertificateDer::from_pem_slice(identity.certificate_pem.as_bytes())
                .map_err(|_| bad_identity())?,
        ];
        let key = PrivateKeyDer::from_pem_slice(identity.key_pem.as_bytes())
            .map_err(|_| bad_identity())?;
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|_| bad_identity())?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_client_auth_cert(certs, key)
            .map_err(|_| bad_identity())?;
        let http = reqwest::blocking::Client::builder()
            .use_preconfigured_tls(config)
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|_| StoreError::Invalid {
                message: "De verbinding met de schoolserver kon niet worden opgezet.".into(),
            })?;
        Ok(Self {
            http,
            base: normalise_url(base)?,
            verifier,
        })
    }

    /// The server certificate's full fingerprint, once a request reached it.
    pub fn server_fingerprint(&self) -> Option<Hash> {
        self.verifier.seen.lock().ok().and_then(|s| *s)
    }

    fn answer<R: DeserializeOwned>(response: reqwest::blocking::Response) -> Result<R> {
        let status = response.status();
        let bytes = response.bytes().map_err(|e| unreachable(&e))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|_| {
                StoreError::Server(SyncError::new(
                    meldcode_sync::ErrorCode::Malformed,
                    "the server's answer is not understood",
                ))
            });
        }
        Err(StoreError::Server(
            serde_json::from_slice::<SyncError>(&bytes).unwrap_or_else(|_| {
                SyncError::new(
                    meldcode_sync::ErrorCode::Internal,
                    format!("HTTP {}", status.as_u16()),
                )
            }),
        ))
    }

    /// A request to `path` with the protocol's header, sent.
    fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        build: impl FnOnce(reqwest::blocking::RequestBuilder) -> reqwest::blocking::RequestBuilder,
    ) -> Result<reqwest::blocking::Response> {
        let request = self
            .http
            .request(method, format!("{}{path}", self.base))
            .header(version::HEADER, version::PROTOCOL.to_string());
        build(request).send().map_err(|e| unreachable(&e))
    }

    fn post<T: Serialize, R: DeserializeOwned>(&self, path: &str, body: &T) -> Result<R> {
        let body = serde_json::to_vec(body).map_err(|_| StoreError::Invalid {
            message: "Verzoek kon niet worden gemaakt.".into(),
        })?;
        Self::answer(self.post_bytes(path, body)?)
    }

    fn post_bytes(&self, path: &str, body: Vec<u8>) -> Result<reqwest::blocking::Response> {
        self.send(reqwest::Method::POST, path, |r| {
            r.header("content-type", "application/json").body(body)
        })
    }

    fn get<R: DeserializeOwned>(&self, path: &str) -> Result<R> {
        Self::answer(self.send(reqwest::Method::GET, path, |r| r)?)
    }

    /// Any bytes to any path, answered as JSON: for tests of what the server refuses.
    #[doc(hidden)]
    pub fn post_raw(&self, path: &str, body: Vec<u8>) -> Result<serde_json::Value> {
        Self::answer(self.post_bytes(path, body)?)
    }

    pub fn enroll(&self, req: &Enroll) -> Result<Enrolled> {
        self.post("/v1/enroll", req)
    }

    pub fn hello(&self, req: &Hello) -> Result<Welcome> {
        self.post("/v1/hello", req)
    }

    pub fn upload(&self, req: &Upload) -> Result<UploadReceipt> {
        self.post("/v1/events", req)
    }

    pub fn pull(&self, after: u64, limit: u64) -> Result<PullPage> {
        self.get(&format!("/v1/events?after={after}&limit={limit}"))
    }

    pub fn new_code(&self, req: &NewCode) -> Result<CodeIssued> {
        self.post("/v1/codes", req)
    }

    pub fn devices(&self) -> Result<Devices> {
        self.get("/v1/devices")
    }

    pub fn revoke(&self, req: &Revoke) -> Result<Revoked> {
        self.post("/v1/devices/revoke", req)
    }

    pub fn put_pins(&self, req: &PinUpload) -> Result<PinReceipt> {
        self.post("/v1/pins", req)
    }

    /// Waits on the server's stream until its cursor passes `cursor` (the server's cursor then)
    /// or `wait` is over (`None`). No polling: the server writes when something arrives.
    pub fn wait_for_news(&self, cursor: u64, wait: Duration) -> Result<Option<u64>> {
        let response = self.send(reqwest::Method::GET, "/v1/stream", |r| r.timeout(wait))?;
        if !response.status().is_success() {
            return Self::answer::<()>(response).map(|()| None);
        }
        let mut lines = BufReader::new(response).lines();
        loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(n) = line
                        .strip_prefix("data:")
                        .and_then(|d| d.trim().parse::<u64>().ok())
                    {
                        if n > cursor {
                            return Ok(Some(n));
                        }
                    }
                }
                // The time-out ends the stream: nothing new.
                Some(Err(_)) | None => return Ok(None),
            }
        }
    }
}
