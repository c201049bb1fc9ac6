//! TLS toward switches: Open vSwitch connects with `ssl:HOST:PORT` and the certificates
//! `ovs-pki` makes; the manager serves TLS when [`crate::ManagerConfig::tls`] is set (the
//! manager binary's `--ctl-privkey`, `--ctl-cert`, `--ca-certs`, as `ryu-manager` names them).

use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};

/// Why a TLS configuration could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM file that does not read.
    #[error("{path}: {error}")]
    Pem {
        /// The file.
        path: String,
        /// What is wrong.
        error: String,
    },
    /// rustls refused the certificates or key.
    #[error("TLS: {0}")]
    Rustls(#[from] rustls::Error),
    /// The CA file holds no certificate rustls accepts as a trust anchor.
    #[error("{path}: no usable CA certificate ({error})")]
    Ca {
        /// The file.
        path: String,
        /// What is wrong.
        error: String,
    },
}

fn certs(path: &Path) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let pem = |error: String| TlsError::Pem {
        path: path.display().to_string(),
        error,
    };
    let certs: Vec<_> = CertificateDer::pem_file_iter(path)
        .map_err(|e| pem(e.to_string()))?
        .collect::<Result<_, _>>()
        .map_err(|e| pem(e.to_string()))?;
    if certs.is_empty() {
        return Err(pem("no certificate".into()));
    }
    Ok(certs)
}

/// The server configuration of a controller whose certificate chain is in `cert` and private
/// key in `key` (PEM files, as `ovs-pki req+sign ctl controller` writes them). With
/// `client_ca`, a switch must present a certificate signed by one of that file's CAs
/// (`ovs-pki`'s `switchca/cacert.pem`), else the handshake fails; without, any switch is
/// served (as `ryu-manager` without `--ca-certs`).
pub fn server_config(
    cert: &Path,
    key: &Path,
    client_ca: Option<&Path>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let chain = certs(cert)?;
    let key = PrivateKeyDer::from_pem_file(key).map_err(|e| TlsError::Pem {
        path: key.display().to_string(),
        error: e.to_string(),
    })?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?;
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = RootCertStore::empty();
            for c in certs(ca)? {
                roots.add(c).map_err(|e| TlsError::Ca {
                    path: ca.display().to_string(),
                    error: e.to_string(),
                })?;
            }
            let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider)
                .build()
                .map_err(|e| TlsError::Ca {
                    path: ca.display().to_string(),
                    error: e.to_string(),
                })?;
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    Ok(Arc::new(builder.with_single_cert(chain, key)?))
}
