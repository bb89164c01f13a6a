//! JWE (RFC 7516) in compact form with `alg: RSA-OAEP-256` and
//! `enc: A256GCM` — how an identity provider sends a user's payload
//! encrypted to our key pair. The content key is unwrapped with aws-lc-rs's
//! RSA-OAEP (constant-time; the `rsa` crate's decryption has a known timing
//! flaw), the content decrypted with AES-256-GCM over the protected header.
//! Any other algorithm is refused: no `RSA1_5`, no `dir`, no downgrade.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{
    KeySize, OAEP_SHA256_MGF1SHA256, OaepPrivateDecryptingKey, OaepPublicEncryptingKey,
    PrivateDecryptingKey, PublicEncryptingKey,
};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::CryptoError;

pub const ALG: &str = "RSA-OAEP-256";
pub const ENC: &str = "A256GCM";
const CEK_LEN: usize = 32;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    alg: String,
    enc: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    cty: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

/// The DER inside a PEM block (`-----BEGIN …-----` lines dropped).
pub fn pem_to_der(pem: &str) -> Result<Vec<u8>, CryptoError> {
    let body: String = pem
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD
        .decode(body)
        .map_err(|_| CryptoError::InvalidInput("PEM"))
}

/// Our side: the private key that payloads are encrypted to.
pub struct JweDecrypter {
    key: OaepPrivateDecryptingKey,
    public_der: Vec<u8>,
}

impl JweDecrypter {
    /// From a PKCS#8 PEM RSA private key (2048 bits or more).
    pub fn from_pkcs8_pem(pem: &str) -> Result<Self, CryptoError> {
        let private = PrivateDecryptingKey::from_pkcs8(&Zeroizing::new(pem_to_der(pem)?))
            .map_err(|_| CryptoError::Keyring("not an RSA PKCS#8 private key".into()))?;
        if private.key_size_bits() < 2048 {
            return Err(CryptoError::Keyring(
                "RSA keys under 2048 bits are refused".into(),
            ));
        }
        let public_der = private
            .public_key()
            .as_der()
            .map_err(|_| CryptoError::Keyring("public key export failed".into()))?
            .as_ref()
            .to_vec();
        let key = OaepPrivateDecryptingKey::new(private)
            .map_err(|_| CryptoError::Keyring("RSA key unusable for OAEP".into()))?;
        Ok(Self { key, public_der })
    }

    /// Decrypts a compact JWE; any malformed, foreign or tampered input is
    /// `Unauthentic` or `Malformed`, never a partial plaintext.
    pub fn decrypt(&self, compact: &str) -> Result<Vec<u8>, CryptoError> {
        let parts: Vec<&str> = compact.trim().split('.').collect();
        let [protected, encrypted_key, iv, ciphertext, tag] = parts.as_slice() else {
            return Err(CryptoError::Malformed);
        };
        let decode = |part: &str| {
            URL_SAFE_NO_PAD
                .decode(part)
                .map_err(|_| CryptoError::Malformed)
        };
        let header: Header =
            serde_json::from_slice(&decode(protected)?).map_err(|_| CryptoError::Malformed)?;
        if header.alg != ALG || header.enc != ENC {
            return Err(CryptoError::InvalidInput("JWE algorithm"));
        }
        let (encrypted_key, iv, mut ciphertext, tag) = (
            decode(encrypted_key)?,
            decode(iv)?,
            decode(ciphertext)?,
            decode(tag)?,
        );
        if iv.len() != IV_LEN || tag.len() != TAG_LEN {
            return Err(CryptoError::Malformed);
        }
        let mut cek = Zeroizing::new(vec![0u8; self.key.min_output_size()]);
        let unwrapped = self
            .key
            .decrypt(&OAEP_SHA256_MGF1SHA256, &encrypted_key, &mut cek, None)
            .map_err(|_| CryptoError::Unauthentic)?;
        if unwrapped.len() != CEK_LEN {
            return Err(CryptoError::Unauthentic);
        }
        let cipher = Aes256Gcm::new_from_slice(unwrapped).map_err(|_| CryptoError::Unauthentic)?;
        ciphertext.extend_from_slice(&tag);
        let nonce: [u8; IV_LEN] = iv.try_into().map_err(|_| CryptoError::Malformed)?;
        cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: &ciphertext,
                    aad: protected.as_bytes(),
                },
            )
            .map_err(|_| CryptoError::Unauthentic)
    }

    /// Our public key, SubjectPublicKeyInfo DER (to hand to a provider).
    pub fn public_key_der(&self) -> &[u8] {
        &self.public_der
    }
}

/// The provider's side (its SDKs; our doubles and tests): encrypts
/// `plaintext` to the SubjectPublicKeyInfo DER `public_key`.
pub fn encrypt(
    public_key: &[u8],
    plaintext: &[u8],
    cty: Option<&str>,
) -> Result<String, CryptoError> {
    let public = PublicEncryptingKey::from_der(public_key)
        .map_err(|_| CryptoError::Keyring("not an RSA public key".into()))?;
    let key = OaepPublicEncryptingKey::new(public)
        .map_err(|_| CryptoError::Keyring("RSA key unusable for OAEP".into()))?;
    let header = serde_json::to_vec(&Header {
        alg: ALG.into(),
        enc: ENC.into(),
        cty: cty.map(str::to_owned),
        kid: None,
    })
    .map_err(|_| CryptoError::Malformed)?;
    let protected = URL_SAFE_NO_PAD.encode(header);
    let mut cek = Zeroizing::new([0u8; CEK_LEN]);
    crate::fill_random(cek.as_mut());
    let mut iv = [0u8; IV_LEN];
    crate::fill_random(&mut iv);
    let mut wrapped = vec![0u8; key.ciphertext_size()];
    let wrapped = key
        .encrypt(&OAEP_SHA256_MGF1SHA256, cek.as_ref(), &mut wrapped, None)
        .map_err(|_| CryptoError::Unauthentic)?
        .to_vec();
    let cipher = Aes256Gcm::new_from_slice(cek.as_ref()).map_err(|_| CryptoError::Unauthentic)?;
    let sealed = cipher
        .encrypt(
            &Nonce::from(iv),
            Payload {
                msg: plaintext,
                aad: protected.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Unauthentic)?;
    let (ciphertext, tag) = sealed.split_at(sealed.len() - TAG_LEN);
    Ok([
        protected,
        URL_SAFE_NO_PAD.encode(wrapped),
        URL_SAFE_NO_PAD.encode(iv),
        URL_SAFE_NO_PAD.encode(ciphertext),
        URL_SAFE_NO_PAD.encode(tag),
    ]
    .join("."))
}

/// A fresh 2048-bit key pair as (PKCS#8 PEM, public SubjectPublicKeyInfo DER).
pub fn generate_key_pair() -> Result<(String, Vec<u8>), CryptoError> {
    let private = PrivateDecryptingKey::generate(KeySize::Rsa2048)
        .map_err(|_| CryptoError::Keyring("RSA key generation failed".into()))?;
    let der = private
        .as_der()
        .map_err(|_| CryptoError::Keyring("key export failed".into()))?;
    let body = STANDARD.encode(der.as_ref());
    let lines: Vec<&str> = body
        .as_bytes()
        .chunks(64)
        .filter_map(|chunk| std::str::from_utf8(chunk).ok())
        .collect();
    let pem = format!(
        "-----BEGIN PRIVATE KEY-----\n{}\n-----END PRIVATE KEY-----\n",
        lines.join("\n")
    );
    let public = private
        .public_key()
        .as_der()
        .map_err(|_| CryptoError::Keyring("key export failed".into()))?
        .as_ref()
        .to_vec();
    Ok((pem, public))
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use super::*;

    static KEYS: LazyLock<(String, Vec<u8>)> = LazyLock::new(|| generate_key_pair().unwrap());

    fn decrypter() -> JweDecrypter {
        JweDecrypter::from_pkcs8_pem(&KEYS.0).unwrap()
    }

    #[test]
    fn round_trips_a_payload() {
        let jwe = encrypt(&KEYS.1, b"{\"sub\":\"42\"}", Some("JWT")).unwrap();
        assert_eq!(jwe.split('.').count(), 5);
        assert_eq!(decrypter().decrypt(&jwe).unwrap(), b"{\"sub\":\"42\"}");
        assert_eq!(decrypter().public_key_der(), KEYS.1.as_slice());
    }

    #[test]
    fn any_tampered_part_is_refused() {
        let jwe = encrypt(&KEYS.1, b"payload", None).unwrap();
        for part in 1..5 {
            let mut parts: Vec<String> = jwe.split('.').map(str::to_owned).collect();
            let mut bytes = URL_SAFE_NO_PAD.decode(&parts[part]).unwrap();
            bytes[0] ^= 1;
            parts[part] = URL_SAFE_NO_PAD.encode(bytes);
            assert!(
                decrypter().decrypt(&parts.join(".")).is_err(),
                "part {part}"
            );
        }
    }

    #[test]
    fn another_key_pair_cannot_read_it() {
        let (other, _) = generate_key_pair().unwrap();
        let jwe = encrypt(&KEYS.1, b"payload", None).unwrap();
        let other = JweDecrypter::from_pkcs8_pem(&other).unwrap();
        assert_eq!(other.decrypt(&jwe), Err(CryptoError::Unauthentic));
    }

    #[test]
    fn other_algorithms_and_shapes_are_refused() {
        let jwe = encrypt(&KEYS.1, b"payload", None).unwrap();
        let mut parts: Vec<&str> = jwe.split('.').collect();
        let downgraded = URL_SAFE_NO_PAD.encode(br#"{"alg":"RSA1_5","enc":"A256GCM"}"#);
        parts[0] = &downgraded;
        assert_eq!(
            decrypter().decrypt(&parts.join(".")),
            Err(CryptoError::InvalidInput("JWE algorithm"))
        );
        assert_eq!(decrypter().decrypt("a.b.c"), Err(CryptoError::Malformed));
        assert!(decrypter().decrypt("").is_err());
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(
            JweDecrypter::from_pkcs8_pem(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"
            )
            .is_err()
        );
    }
}
