//! Named AES-256-GCM keys with one active for new writes.

use std::collections::BTreeMap;
use std::fmt;

use aes_gcm::{Aes256Gcm, KeyInit};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use zeroize::Zeroizing;

use crate::error::CryptoError;

/// `[crypto.<keyring>]`: `active = "k2"`, `keys.k1 = "<base64 32 bytes>"`.
/// Keys come from the environment (`APP__CRYPTO__CONTACT__KEYS__K2=...`);
/// key ids are lower-case (environment keys are lower-cased).
#[derive(Debug, Clone, Deserialize)]
pub struct KeyringSettings {
    pub active: String,
    pub keys: BTreeMap<String, SecretString>,
}

pub struct Keyring {
    active: String,
    ciphers: BTreeMap<String, Aes256Gcm>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("active", &self.active)
            .field("key_ids", &self.ciphers.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// A key id travels in every ciphertext: short, printable, unambiguous.
fn valid_key_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}

impl Keyring {
    pub fn from_settings(name: &str, settings: &KeyringSettings) -> Result<Self, CryptoError> {
        let mut ciphers = BTreeMap::new();
        for (id, encoded) in &settings.keys {
            if !valid_key_id(id) {
                return Err(CryptoError::Keyring(format!(
                    "{name}: key id {id:?} is not [a-z0-9_-]{{1,32}}"
                )));
            }
            let bytes = Zeroizing::new(
                STANDARD
                    .decode(encoded.expose_secret().trim())
                    .map_err(|_| CryptoError::Keyring(format!("{name}: key {id} is not base64")))?,
            );
            let key: &[u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| CryptoError::Keyring(format!("{name}: key {id} is not 32 bytes")))?;
            ciphers.insert(id.clone(), Aes256Gcm::new(key.into()));
        }
        if !ciphers.contains_key(&settings.active) {
            return Err(CryptoError::Keyring(format!(
                "{name}: active key {:?} is not listed",
                settings.active
            )));
        }
        Ok(Self {
            active: settings.active.clone(),
            ciphers,
        })
    }

    pub fn active_id(&self) -> &str {
        &self.active
    }

    pub(crate) fn active(&self) -> (&str, &Aes256Gcm) {
        let cipher = &self.ciphers[&self.active];
        (&self.active, cipher)
    }

    pub(crate) fn get(&self, id: &str) -> Result<&Aes256Gcm, CryptoError> {
        self.ciphers
            .get(id)
            .ok_or_else(|| CryptoError::UnknownKey(id.to_owned()))
    }
}

/// A fresh random 32-byte key, base64-encoded (for `scripts`, tests and docs).
pub fn generate_key() -> String {
    let mut key = Zeroizing::new([0u8; 32]);
    crate::random::fill_random(key.as_mut_slice());
    STANDARD.encode(key.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(active: &str, keys: &[(&str, String)]) -> KeyringSettings {
        KeyringSettings {
            active: active.to_owned(),
            keys: keys
                .iter()
                .map(|(id, k)| ((*id).to_owned(), SecretString::from(k.clone())))
                .collect(),
        }
    }

    #[test]
    fn rejects_bad_configuration() {
        let key = generate_key();
        assert!(Keyring::from_settings("t", &settings("k1", &[("k1", key.clone())])).is_ok());
        assert!(Keyring::from_settings("t", &settings("k2", &[("k1", key.clone())])).is_err());
        assert!(
            Keyring::from_settings("t", &settings("k1", &[("k1", "c2hvcnQ=".into())])).is_err()
        );
        assert!(Keyring::from_settings("t", &settings("K1", &[("K1", key)])).is_err());
    }

    #[test]
    fn debug_never_shows_key_material() {
        let key = generate_key();
        let keyring = Keyring::from_settings("t", &settings("k1", &[("k1", key.clone())])).unwrap();
        assert!(!format!("{keyring:?}").contains(&key));
    }
}
