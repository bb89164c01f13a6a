//! The identity context on the wire.

pub mod accounts;
pub mod adult_verification;
pub mod email_change;
pub mod me;
pub mod passwords;
pub mod phone;
pub mod session_info;
pub mod sessions;
pub mod shoppers;
pub mod sso;
pub mod tokens;
pub mod vocabulary;
