//! Shoppers' accounts: sign-up and email verification, sessions, passwords,
//! phone verification, profile, email change, sign-in with outside
//! providers and adult verification.

pub mod accounts;
pub mod adult_verification;
pub mod email_change;
pub mod jobs;
pub mod passwords;
pub mod phone;
pub mod profile;
pub mod sessions;
pub mod sso;
