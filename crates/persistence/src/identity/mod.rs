//! Shoppers' accounts, refresh tokens, password resets and history, and
//! links to outside sign-in providers.

pub mod passwords;
pub mod refresh_tokens;
pub mod sso;
pub mod users;
