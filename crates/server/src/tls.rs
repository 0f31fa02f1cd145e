//! The server's TLS identity (a self-signed certificate, pinned by devices through the
//! enrollment code's fingerprint) and client-certificate authentication: every device holds
//! its own key pair, and the certificate's hash is its identity on every request.

use meldcode_sync::Hash;
use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{DigitallySignedStruct, DistinguishedName, ServerConfig, SignatureScheme};
use std::path::Path;
use std::sync::Arc;

pub const CERT_FILE: &str = "server.crt";
pub const KEY_FILE: &str = "server.key";

#[derive(Debug)]
pub struct TlsError(pub String);

impl std::fmt::Display for TlsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TlsError {}

pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Makes the certificate and key for `names` (host names or IP addresses the devices use)
/// in `dir`; the key file is readable by its owner only.
pub fn create(dir: &Path, names: &[String]) -> Result<Hash, TlsError> {
    let made = rcgen::generate_simple_self_signed(names.to_vec())
        .map_err(|e| TlsError(format!("making the certificate: {e}")))?;
    let key = zeroize::Zeroizing::new(made.signing_key.serialize_pem());
    write_private(&dir.join(KEY_FILE), key.as_bytes())?;
    std::fs::write(dir.join(CERT_FILE), made.cert.pem())
        .map_err(|e| TlsError(format!("writing {CERT_FILE}: {e}")))?;
    Ok(Hash::of(made.cert.der()))
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TlsError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| TlsError(format!("writing {}: {e}", path.display())))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| TlsError(format!("writing {}: {e}", path.display())))
}

pub struct Identity {
    pub certificate: CertificateDer<'static>,
    pub key: PrivateKeyDer<'static>,
}

impl Identity {
    pub fn load(dir: &Path) -> Result<Self, TlsError> {
        let certificate = CertificateDer::from_pem_file(dir.join(CERT_FILE)).map_err(|e| {
            TlsError(format!(
                "reading {CERT_FILE} in {}: {e} (run `meldcode-server init` first)",
                dir.display()
            ))
        })?;
        let key = PrivateKeyDer::from_pem_file(dir.join(KEY_FILE))
            .map_err(|e| TlsError(format!("reading {KEY_FILE}: {e}")))?;
        Ok(Self { certificate, key })
    }

    pub fn fingerprint(&self) -> Hash {
        Hash::of(self.certificate.as_ref())
    }

    pub fn server_config(self) -> Result<Arc<ServerConfig>, TlsError> {
        let provider = provider();
        let config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[&rustls::version::TLS13])
            .map_err(|e| TlsError(format!("TLS: {e}")))?
            .with_client_cert_verifier(Arc::new(AnyClientCertificate(provider)))
            .with_single_cert(vec![self.certificate], self.key)
            .map_err(|e| TlsError(format!("TLS: {e}")))?;
        Ok(Arc::new(config))
    }
}

/// Asks every client for a certificate and checks that it holds the certificate's key (the
/// handshake signature); which certificates belong to enrolled devices is the database's to
/// say, per request. Optional, so that `/v1/health` answers a plain client.
#[derive(Debug)]
struct AnyClientCertificate(Arc<CryptoProvider>);

impl ClientCertVerifier for AnyClientCertificate {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        false
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}
