//! The process's keys by data class, and the one place values are sealed.

use std::sync::OnceLock;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::blind_index::BlindIndexKind;
use crate::envelope;
use crate::error::CryptoError;
use crate::keyring::{Keyring, KeyringSettings};

/// How a value is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataClass {
    /// Email, phone, name, address: one layer under the contact keyring.
    Contact,
    /// Refund bank account, account holder: the financial keyring, then again
    /// under the independent outer keyring.
    Financial,
}

/// `[crypto]` configuration; every key comes from the environment outside
/// local development and tests.
#[derive(Debug, Clone, Deserialize)]
pub struct VaultSettings {
    pub contact: KeyringSettings,
    pub financial: KeyringSettings,
    pub financial_outer: KeyringSettings,
    /// Base64 of at least 32 bytes: the HMAC key of blind indexes. Rotating it
    /// means recomputing every index, so it is a single key, not a keyring.
    pub blind_index_key: SecretString,
}

#[derive(Debug)]
pub struct Vault {
    contact: Keyring,
    financial: Keyring,
    financial_outer: Keyring,
    blind_index_key: Zeroizing<Vec<u8>>,
}

impl Vault {
    pub fn from_settings(settings: &VaultSettings) -> Result<Self, CryptoError> {
        let blind_index_key = Zeroizing::new(
            STANDARD
                .decode(settings.blind_index_key.expose_secret().trim())
                .map_err(|_| CryptoError::Keyring("blind_index_key is not base64".into()))?,
        );
        if blind_index_key.len() < 32 {
            return Err(CryptoError::Keyring(
                "blind_index_key must be at least 32 bytes".into(),
            ));
        }
        Ok(Self {
            contact: Keyring::from_settings("contact", &settings.contact)?,
            financial: Keyring::from_settings("financial", &settings.financial)?,
            financial_outer: Keyring::from_settings("financial_outer", &settings.financial_outer)?,
            blind_index_key,
        })
    }

    /// The key new values of `class` are sealed with (the outer one for
    /// financial values).
    pub fn active_key(&self, class: DataClass) -> &str {
        match class {
            DataClass::Contact => self.contact.active_id(),
            DataClass::Financial => self.financial_outer.active_id(),
        }
    }

    /// Encrypts `plaintext` for the column `aad` (`table.column`).
    pub fn seal(&self, class: DataClass, aad: &str, plaintext: &[u8]) -> Vec<u8> {
        match class {
            DataClass::Contact => envelope::seal(&self.contact, aad.as_bytes(), plaintext),
            DataClass::Financial => {
                let inner = envelope::seal(&self.financial, aad.as_bytes(), plaintext);
                envelope::seal(&self.financial_outer, aad.as_bytes(), &inner)
            }
        }
    }

    pub fn open(&self, class: DataClass, aad: &str, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match class {
            DataClass::Contact => envelope::open(&self.contact, aad.as_bytes(), sealed),
            DataClass::Financial => {
                let inner = envelope::open(&self.financial_outer, aad.as_bytes(), sealed)?;
                envelope::open(&self.financial, aad.as_bytes(), &inner)
            }
        }
    }

    /// Whether `sealed` already uses the active key of every layer; if not,
    /// [`Vault::reseal`] brings it up to date.
    pub fn is_current(
        &self,
        class: DataClass,
        aad: &str,
        sealed: &[u8],
    ) -> Result<bool, CryptoError> {
        Ok(match class {
            DataClass::Contact => envelope::key_id(sealed)? == self.contact.active_id(),
            DataClass::Financial => {
                let inner = envelope::open(&self.financial_outer, aad.as_bytes(), sealed)?;
                envelope::key_id(sealed)? == self.financial_outer.active_id()
                    && envelope::key_id(&inner)? == self.financial.active_id()
            }
        })
    }

    /// Re-encrypts under the active keys (key rotation).
    pub fn reseal(
        &self,
        class: DataClass,
        aad: &str,
        sealed: &[u8],
    ) -> Result<Vec<u8>, CryptoError> {
        let plaintext = Zeroizing::new(self.open(class, aad, sealed)?);
        Ok(self.seal(class, aad, &plaintext))
    }

    /// HMAC-SHA256 of a normalised value, separated by kind so an email's
    /// index never equals a phone's.
    pub fn blind_index(&self, kind: BlindIndexKind, normalized: &str) -> Vec<u8> {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.blind_index_key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(kind.tag().as_bytes());
        mac.update(&[0]);
        mac.update(normalized.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// A MAC over `parts` for `purpose` (e.g. the audit chain), under a key
    /// derived from the blind-index key: someone who can write the database
    /// but not read the configuration cannot forge one. Parts are length
    /// prefixed, so no two different sequences produce the same input.
    pub fn keyed_digest(&self, purpose: &str, parts: &[&[u8]]) -> Vec<u8> {
        let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(&self.blind_index_key) {
            Ok(mac) => mac,
            Err(_) => unreachable!("HMAC accepts keys of any length"),
        };
        mac.update(b"keyed-digest\0");
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        for part in parts {
            mac.update(&(part.len() as u64).to_be_bytes());
            mac.update(part);
        }
        mac.finalize().into_bytes().to_vec()
    }
}

static VAULT: OnceLock<Vault> = OnceLock::new();

/// Installs the process's vault, once, at start-up; the diesel column type
/// reads it (diesel's `ToSql`/`FromSql` take no context). A second call keeps
/// the first vault and reports whether the keys differ.
pub fn install(vault: Vault) -> Result<&'static Vault, CryptoError> {
    let active = (
        vault.contact.active_id().to_owned(),
        vault.financial.active_id().to_owned(),
        vault.financial_outer.active_id().to_owned(),
    );
    let installed = VAULT.get_or_init(|| vault);
    let same = (
        installed.contact.active_id(),
        installed.financial.active_id(),
        installed.financial_outer.active_id(),
    ) == (active.0.as_str(), active.1.as_str(), active.2.as_str());
    if same {
        Ok(installed)
    } else {
        Err(CryptoError::Keyring(
            "another vault is already installed".into(),
        ))
    }
}

pub fn installed() -> Result<&'static Vault, CryptoError> {
    VAULT.get().ok_or(CryptoError::NoVault)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keyring::generate_key;
    use proptest::prelude::*;

    fn keyring(active: &str, keys: &[(&str, &str)]) -> KeyringSettings {
        KeyringSettings {
            active: active.to_owned(),
            keys: keys
                .iter()
                .map(|(id, k)| ((*id).to_owned(), SecretString::from((*k).to_owned())))
                .collect(),
        }
    }

    struct Keys {
        contact: String,
        financial: String,
        outer: String,
        index: String,
    }

    fn keys() -> Keys {
        Keys {
            contact: generate_key(),
            financial: generate_key(),
            outer: generate_key(),
            index: generate_key(),
        }
    }

    fn vault(k: &Keys) -> Vault {
        Vault::from_settings(&VaultSettings {
            contact: keyring("c1", &[("c1", &k.contact)]),
            financial: keyring("f1", &[("f1", &k.financial)]),
            financial_outer: keyring("o1", &[("o1", &k.outer)]),
            blind_index_key: SecretString::from(k.index.clone()),
        })
        .unwrap()
    }

    const EMAIL: &str = "users.email";

    #[test]
    fn keyed_digests_depend_on_key_purpose_and_part_boundaries() {
        let (a, b) = (vault(&keys()), vault(&keys()));
        let digest = a.keyed_digest("audit-chain", &[b"ab", b"c"]);
        assert_eq!(digest, a.keyed_digest("audit-chain", &[b"ab", b"c"]));
        assert_ne!(digest, a.keyed_digest("audit-chain", &[b"a", b"bc"]));
        assert_ne!(digest, a.keyed_digest("other", &[b"ab", b"c"]));
        assert_ne!(digest, b.keyed_digest("audit-chain", &[b"ab", b"c"]));
    }

    #[test]
    fn round_trips_both_classes() {
        let v = vault(&keys());
        for class in [DataClass::Contact, DataClass::Financial] {
            let sealed = v.seal(class, EMAIL, b"minji@example.com");
            assert_eq!(v.open(class, EMAIL, &sealed).unwrap(), b"minji@example.com");
        }
    }

    #[test]
    fn the_same_value_never_encrypts_the_same_way_twice() {
        let v = vault(&keys());
        assert_ne!(
            v.seal(DataClass::Contact, EMAIL, b"x"),
            v.seal(DataClass::Contact, EMAIL, b"x")
        );
    }

    #[test]
    fn a_value_is_bound_to_its_column() {
        let v = vault(&keys());
        let sealed = v.seal(DataClass::Contact, "users.email", b"minji@example.com");
        assert_eq!(
            v.open(DataClass::Contact, "users.phone", &sealed),
            Err(CryptoError::Unauthentic)
        );
    }

    #[test]
    fn another_key_with_the_same_id_does_not_decrypt() {
        let sealed = vault(&keys()).seal(DataClass::Contact, EMAIL, b"secret");
        assert_eq!(
            vault(&keys()).open(DataClass::Contact, EMAIL, &sealed),
            Err(CryptoError::Unauthentic)
        );
    }

    #[test]
    fn financial_values_need_both_independent_keys() {
        let k = keys();
        let sealed = vault(&k).seal(
            DataClass::Financial,
            "refund_accounts.number",
            b"110-123-456789",
        );
        // Only the inner key leaked: the outer layer still holds.
        let inner_only = Keys {
            financial: k.financial.clone(),
            ..keys()
        };
        assert!(
            vault(&inner_only)
                .open(DataClass::Financial, "refund_accounts.number", &sealed)
                .is_err()
        );
        // Only the outer key leaked: what it reveals is still ciphertext.
        let outer_only = Keys {
            outer: k.outer.clone(),
            ..keys()
        };
        assert!(
            vault(&outer_only)
                .open(DataClass::Financial, "refund_accounts.number", &sealed)
                .is_err()
        );
        let outer_key = Keyring::from_settings("o", &keyring("o1", &[("o1", &k.outer)])).unwrap();
        let peeled = envelope::open(&outer_key, b"refund_accounts.number", &sealed).unwrap();
        assert!(!peeled.windows(14).any(|w| w == b"110-123-456789"));
    }

    #[test]
    fn rotation_keeps_old_values_readable_and_reseals_them_under_the_new_key() {
        let k = keys();
        let old = vault(&k);
        let contact_sealed = old.seal(DataClass::Contact, EMAIL, b"minji@example.com");
        let financial_sealed = old.seal(DataClass::Financial, EMAIL, b"110-123");
        let (c2, f2, o2) = (generate_key(), generate_key(), generate_key());
        let rotated = Vault::from_settings(&VaultSettings {
            contact: keyring("c2", &[("c1", &k.contact), ("c2", &c2)]),
            financial: keyring("f2", &[("f1", &k.financial), ("f2", &f2)]),
            financial_outer: keyring("o2", &[("o1", &k.outer), ("o2", &o2)]),
            blind_index_key: SecretString::from(k.index.clone()),
        })
        .unwrap();
        for (class, sealed, plain) in [
            (
                DataClass::Contact,
                &contact_sealed,
                &b"minji@example.com"[..],
            ),
            (DataClass::Financial, &financial_sealed, &b"110-123"[..]),
        ] {
            assert_eq!(rotated.open(class, EMAIL, sealed).unwrap(), plain);
            assert!(!rotated.is_current(class, EMAIL, sealed).unwrap());
            let resealed = rotated.reseal(class, EMAIL, sealed).unwrap();
            assert!(rotated.is_current(class, EMAIL, &resealed).unwrap());
            assert_eq!(rotated.open(class, EMAIL, &resealed).unwrap(), plain);
        }
        assert_eq!(
            envelope::key_id(
                &rotated
                    .reseal(DataClass::Contact, EMAIL, &contact_sealed)
                    .unwrap()
            )
            .unwrap(),
            "c2"
        );
    }

    #[test]
    fn blind_indexes_are_stable_keyed_and_separated_by_kind() {
        let k = keys();
        let v = vault(&k);
        let email = v.blind_index(BlindIndexKind::Email, "minji@example.com");
        assert_eq!(
            email,
            vault(&k).blind_index(BlindIndexKind::Email, "minji@example.com")
        );
        assert_eq!(email.len(), 32);
        assert_ne!(
            email,
            v.blind_index(BlindIndexKind::Phone, "minji@example.com")
        );
        assert_ne!(
            email,
            vault(&keys()).blind_index(BlindIndexKind::Email, "minji@example.com")
        );
    }

    #[test]
    fn rejects_a_short_blind_index_key() {
        let k = keys();
        let settings = VaultSettings {
            contact: keyring("c1", &[("c1", &k.contact)]),
            financial: keyring("f1", &[("f1", &k.financial)]),
            financial_outer: keyring("o1", &[("o1", &k.outer)]),
            blind_index_key: SecretString::from("c2hvcnQ=".to_owned()),
        };
        assert!(Vault::from_settings(&settings).is_err());
    }

    proptest! {
        #[test]
        fn any_value_round_trips(plain in prop::collection::vec(any::<u8>(), 0..512), column in "[a-z_]{1,20}\\.[a-z_]{1,20}") {
            let v = vault(&keys());
            for class in [DataClass::Contact, DataClass::Financial] {
                let sealed = v.seal(class, &column, &plain);
                prop_assert_eq!(v.open(class, &column, &sealed).unwrap(), plain.clone());
            }
        }

        #[test]
        fn any_single_bit_flip_is_detected(plain in prop::collection::vec(any::<u8>(), 0..64), position in any::<prop::sample::Index>(), bit in 0u8..8) {
            let v = vault(&keys());
            for class in [DataClass::Contact, DataClass::Financial] {
                let mut sealed = v.seal(class, EMAIL, &plain);
                let at = position.index(sealed.len());
                sealed[at] ^= 1 << bit;
                prop_assert!(v.open(class, EMAIL, &sealed).is_err());
            }
        }
    }
}
