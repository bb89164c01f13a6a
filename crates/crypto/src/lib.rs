#![doc = include_str!("../README.md")]

pub mod blind_index;
pub mod column;
pub mod digest;
pub mod envelope;
pub mod jwe;
pub mod keyring;
pub mod link;
pub mod vault;

pub use blind_index::{BlindIndexKind, normalize_email, normalize_phone};
pub use column::{Field, Revealed, Sealed};
pub use envelope::{fill_random, random_token};
pub use keyring::{Keyring, KeyringSettings};
pub use link::LinkSigner;
pub use vault::{DataClass, Vault, VaultSettings, install, installed};

/// What can go wrong with keys or ciphertexts.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("keyring {0}")]
    Keyring(String),
    #[error("ciphertext is malformed")]
    Malformed,
    #[error("no key {0:?} in the keyring")]
    UnknownKey(String),
    /// Wrong key, wrong column (associated data) or tampered bytes: AES-GCM
    /// does not say which, by design.
    #[error("ciphertext does not authenticate")]
    Unauthentic,
    #[error("no vault installed in this process")]
    NoVault,
    #[error("invalid {0}")]
    InvalidInput(&'static str),
}
