//! What can go wrong with keys or ciphertexts.

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
