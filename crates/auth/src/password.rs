//! Password hashing: argon2id with configurable cost, PHC strings at rest.
//!
//! Hashing is deliberately slow: callers run it on a blocking thread
//! (`tokio::task::spawn_blocking`), never on an async worker.

use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use serde::Deserialize;

/// `[auth.argon2]`. The defaults are OWASP's minimum for argon2id
/// (19 MiB, 2 passes, 1 lane).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Argon2Settings {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for Argon2Settings {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasswordHashError {
    #[error("argon2 parameters: {0}")]
    Params(String),
    #[error("hashing failed: {0}")]
    Hash(String),
}

pub struct PasswordHasher {
    argon2: Argon2<'static>,
    /// A hash of nothing in particular, verified when an account does not
    /// exist so that the answer takes as long as for one that does.
    decoy: String,
}

impl PasswordHasher {
    pub fn new(settings: Argon2Settings) -> Result<Self, PasswordHashError> {
        let params = Params::new(
            settings.memory_kib,
            settings.iterations,
            settings.parallelism,
            None,
        )
        .map_err(|e| PasswordHashError::Params(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        let decoy = argon2
            .hash_password(b"decoy password for absent accounts")
            .map_err(|e| PasswordHashError::Hash(e.to_string()))?
            .to_string();
        Ok(Self { argon2, decoy })
    }

    /// A PHC string (`$argon2id$v=19$m=...,t=...,p=...$salt$hash`) with a fresh salt.
    pub fn hash(&self, password: &str) -> Result<String, PasswordHashError> {
        Ok(self
            .argon2
            .hash_password(password.as_bytes())
            .map_err(|e| PasswordHashError::Hash(e.to_string()))?
            .to_string())
    }

    /// Whether `password` matches `phc`. A malformed hash is a mismatch.
    pub fn verify(&self, password: &str, phc: &str) -> bool {
        self.argon2
            .verify_password(password.as_bytes(), phc)
            .is_ok()
    }

    /// Spends the time of a real verification and always fails: used when
    /// the account does not exist, so timing does not reveal that.
    pub fn verify_absent(&self, password: &str) -> bool {
        let _ = self
            .argon2
            .verify_password(password.as_bytes(), self.decoy.as_str());
        false
    }

    /// Whether `phc` was made with other parameters than the current ones
    /// (rehash on the next successful login).
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let params = self.argon2.params();
        let current = format!(
            "m={},t={},p={}",
            params.m_cost(),
            params.t_cost(),
            params.p_cost()
        );
        !(phc.starts_with("$argon2id$v=19$") && phc.contains(&current))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap() -> PasswordHasher {
        PasswordHasher::new(Argon2Settings {
            memory_kib: 64,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[test]
    fn hashes_verify_and_are_salted() {
        let hasher = cheap();
        let first = hasher.hash("autumn leaves 7").unwrap();
        let second = hasher.hash("autumn leaves 7").unwrap();
        assert!(first.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        assert_ne!(first, second, "a fresh salt each time");
        assert!(hasher.verify("autumn leaves 7", &first));
        assert!(!hasher.verify("autumn leaves 8", &first));
        assert!(!hasher.verify("autumn leaves 7", "not a hash"));
        assert!(!hasher.verify_absent("autumn leaves 7"));
    }

    #[test]
    fn knows_when_a_hash_uses_old_parameters() {
        let old = cheap().hash("autumn leaves 7").unwrap();
        let stronger = PasswordHasher::new(Argon2Settings {
            memory_kib: 128,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap();
        assert!(stronger.needs_rehash(&old));
        assert!(
            stronger.verify("autumn leaves 7", &old),
            "old hashes still verify"
        );
        assert!(!stronger.needs_rehash(&stronger.hash("x").unwrap()));
    }

    #[test]
    fn the_default_cost_is_owasp_minimum() {
        assert_eq!(
            Argon2Settings::default(),
            Argon2Settings {
                memory_kib: 19_456,
                iterations: 2,
                parallelism: 1
            }
        );
    }
}
