//! Upkeep of stored data: re-sealing personal data under the active keys.

pub mod rotation;
