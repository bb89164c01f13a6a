//! Apple App Store signed payloads (StoreKit 2 transactions and App Store
//! Server Notifications V2), verified on our side: a JWS (`ES256`) whose
//! `x5c` header carries the certificate chain leaf → intermediate → root.
//! The root must be the pinned Apple root (byte for byte), each link signed
//! by the next, each certificate valid now, the intermediate a CA bearing
//! Apple's WWDR marker (OID 1.2.840.113635.100.6.2.1) and the leaf Apple's
//! App Store receipt-signing marker (OID 1.2.840.113635.100.6.11.1) —
//! without that last check any developer certificate under Apple's root
//! could sign a payload. Then the signature over `header.payload` is
//! checked with the leaf's key.

use aws_lc_rs::signature::{ECDSA_P256_SHA256_FIXED, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::Deserialize;
use serde_json::Value;
use x509_parser::certificate::X509Certificate;
use x509_parser::oid_registry::Oid;
use x509_parser::prelude::{ASN1Time, FromDer};

/// `[app_store]`.
#[derive(Debug, Clone, Deserialize)]
pub struct AppStoreSettings {
    /// The app whose purchases are accepted.
    pub bundle_id: String,
    /// `Production`; development also accepts `Sandbox` (and `Xcode`).
    pub environments: Vec<String>,
    /// The pinned root (PEM): Apple Root CA - G3 in production.
    pub root_certificate_pem: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SignedPayloadError {
    #[error("malformed signed payload: {0}")]
    Malformed(String),
    #[error("the certificate chain is not Apple's: {0}")]
    UntrustedChain(String),
    #[error("the signature does not match")]
    BadSignature,
    #[error("configuration: {0}")]
    Config(String),
}

const WWDR_INTERMEDIATE_MARKER: &str = "1.2.840.113635.100.6.2.1";
const RECEIPT_SIGNING_MARKER: &str = "1.2.840.113635.100.6.11.1";

/// Verifies Apple-signed JWS against a pinned root.
pub struct SignedPayloadVerifier {
    root_der: Vec<u8>,
}

#[derive(Deserialize)]
struct Header {
    alg: String,
    x5c: Vec<String>,
}

impl SignedPayloadVerifier {
    pub fn new(root_certificate_pem: &str) -> Result<Self, SignedPayloadError> {
        let body: String = root_certificate_pem
            .lines()
            .filter(|line| !line.starts_with("-----"))
            .map(str::trim)
            .collect();
        let root_der = STANDARD
            .decode(body)
            .map_err(|e| SignedPayloadError::Config(format!("root certificate: {e}")))?;
        X509Certificate::from_der(&root_der)
            .map_err(|e| SignedPayloadError::Config(format!("root certificate: {e}")))?;
        Ok(Self { root_der })
    }

    /// The payload of a JWS Apple signed, checked as the module says.
    pub fn verify(&self, jws: &str) -> Result<Value, SignedPayloadError> {
        let malformed = |what: &str| SignedPayloadError::Malformed(what.to_owned());
        let mut parts = jws.trim().split('.');
        let (Some(header_b64), Some(payload_b64), Some(signature_b64), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed("not a compact JWS"));
        };
        let header: Header = URL_SAFE_NO_PAD
            .decode(header_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| malformed("header"))?;
        if header.alg != "ES256" {
            return Err(malformed("alg is not ES256"));
        }
        let chain: Vec<Vec<u8>> = header
            .x5c
            .iter()
            .map(|cert| STANDARD.decode(cert))
            .collect::<Result<_, _>>()
            .map_err(|_| malformed("x5c"))?;
        let [leaf_der, intermediate_der, root_der] = chain.as_slice() else {
            return Err(malformed("x5c must hold leaf, intermediate and root"));
        };
        if *root_der != self.root_der {
            return Err(SignedPayloadError::UntrustedChain(
                "not the pinned root".into(),
            ));
        }
        let (leaf, intermediate, root) = (
            certificate(leaf_der)?,
            certificate(intermediate_der)?,
            certificate(root_der)?,
        );
        let untrusted = |why: &str| SignedPayloadError::UntrustedChain(why.to_owned());
        intermediate
            .verify_signature(Some(root.public_key()))
            .map_err(|_| untrusted("the intermediate is not signed by the root"))?;
        leaf.verify_signature(Some(intermediate.public_key()))
            .map_err(|_| untrusted("the leaf is not signed by the intermediate"))?;
        let now = ASN1Time::now();
        for cert in [&leaf, &intermediate, &root] {
            if !cert.validity().is_valid_at(now) {
                return Err(untrusted("a certificate is outside its validity"));
            }
        }
        if !intermediate.is_ca() || !has_extension(&intermediate, WWDR_INTERMEDIATE_MARKER) {
            return Err(untrusted("the intermediate is not Apple's WWDR CA"));
        }
        if !has_extension(&leaf, RECEIPT_SIGNING_MARKER) {
            return Err(untrusted(
                "the leaf is not an App Store signing certificate",
            ));
        }
        let signature = URL_SAFE_NO_PAD
            .decode(signature_b64)
            .map_err(|_| malformed("signature"))?;
        let key = UnparsedPublicKey::new(
            &ECDSA_P256_SHA256_FIXED,
            leaf.public_key().subject_public_key.data.as_ref(),
        );
        key.verify(format!("{header_b64}.{payload_b64}").as_bytes(), &signature)
            .map_err(|_| SignedPayloadError::BadSignature)?;
        URL_SAFE_NO_PAD
            .decode(payload_b64)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or_else(|| malformed("payload"))
    }
}

fn certificate(der: &[u8]) -> Result<X509Certificate<'_>, SignedPayloadError> {
    X509Certificate::from_der(der)
        .map(|(_, cert)| cert)
        .map_err(|e| SignedPayloadError::Malformed(format!("certificate: {e}")))
}

fn has_extension(cert: &X509Certificate<'_>, oid: &str) -> bool {
    let Ok(wanted) = oid.parse::<Oid<'static>>() else {
        return false;
    };
    cert.extensions().iter().any(|ext| ext.oid == wanted)
}
