#![doc = include_str!("../README.md")]

pub mod blind_index;
pub mod column;
pub mod digest;
pub mod envelope;
mod error;
pub mod jwe;
pub mod keyring;
pub mod link;
mod random;
pub mod vault;

pub use blind_index::{BlindIndexKind, normalize_email, normalize_phone};
pub use column::{Field, Revealed, Sealed};
pub use error::CryptoError;
pub use keyring::{Keyring, KeyringSettings};
pub use link::LinkSigner;
pub use random::{fill_random, random_token};
pub use vault::{DataClass, Vault, VaultSettings, install, installed};
