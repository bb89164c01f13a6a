//! Re-sealing encrypted columns under the active keys.

pub mod rotation;
