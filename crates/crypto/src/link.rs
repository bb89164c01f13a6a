//! Tokens for emailed links: `base64url(id || HMAC-SHA256(key, purpose, id)[..16])`.
//! The id names a database row (which holds expiry and single use); the MAC
//! makes ids unguessable and binds each token to its purpose. Nothing secret
//! is stored: a job can rebuild the link from the id alone.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::CryptoError;

const ID_LEN: usize = 16;
const TAG_LEN: usize = 16;

pub struct LinkSigner {
    key: Zeroizing<Vec<u8>>,
}

impl LinkSigner {
    /// `key`: base64 of at least 32 random bytes.
    pub fn new(key: &SecretString) -> Result<Self, CryptoError> {
        let key = Zeroizing::new(
            STANDARD
                .decode(key.expose_secret().trim())
                .map_err(|_| CryptoError::Keyring("link signing key is not base64".into()))?,
        );
        if key.len() < 32 {
            return Err(CryptoError::Keyring(
                "link signing key must be at least 32 bytes".into(),
            ));
        }
        Ok(Self { key })
    }

    fn mac(&self, purpose: &str, id: &[u8; ID_LEN]) -> Hmac<Sha256> {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(id);
        mac
    }

    /// A keyed digest of `data` for `purpose` (hex): how short secrets such
    /// as phone codes are stored, so a leaked store cannot be brute-forced
    /// offline without the key.
    pub fn digest(&self, purpose: &str, data: &[u8]) -> String {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data);
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn sign(&self, purpose: &str, id: [u8; ID_LEN]) -> String {
        let tag = self.mac(purpose, &id).finalize().into_bytes();
        let mut token = Vec::with_capacity(ID_LEN + TAG_LEN);
        token.extend_from_slice(&id);
        token.extend_from_slice(&tag[..TAG_LEN]);
        URL_SAFE_NO_PAD.encode(token)
    }

    /// The id inside a genuine token for `purpose` (compared in constant time).
    pub fn verify(&self, purpose: &str, token: &str) -> Option<[u8; ID_LEN]> {
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
        if bytes.len() != ID_LEN + TAG_LEN {
            return None;
        }
        let (id, tag) = bytes.split_at(ID_LEN);
        let id: [u8; ID_LEN] = id.try_into().ok()?;
        self.mac(purpose, &id).verify_truncated_left(tag).ok()?;
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::generate_key;

    fn signer() -> LinkSigner {
        LinkSigner::new(&SecretString::from(generate_key())).unwrap()
    }

    #[test]
    fn verifies_its_own_tokens_for_their_purpose_only() {
        let signer = signer();
        let id = [7u8; 16];
        let token = signer.sign("email-verification", id);
        assert_eq!(signer.verify("email-verification", &token), Some(id));
        assert_eq!(signer.verify("password-reset", &token), None);
        assert_eq!(
            super::tests::signer().verify("email-verification", &token),
            None,
            "another key"
        );
    }

    #[test]
    fn refuses_altered_or_malformed_tokens() {
        let signer = signer();
        let token = signer.sign("p", [1u8; 16]);
        let mut bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        bytes[0] ^= 1;
        assert_eq!(
            signer.verify("p", &URL_SAFE_NO_PAD.encode(&bytes)),
            None,
            "another id"
        );
        for bad in ["", "not base64!", &token[..10], &format!("{token}AA")] {
            assert_eq!(signer.verify("p", bad), None, "{bad}");
        }
    }
}
