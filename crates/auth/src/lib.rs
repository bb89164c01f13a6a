#![doc = include_str!("../README.md")]

pub mod audience;
mod claims;
pub mod mfa;
pub mod partner_signature;
pub mod password;
pub mod phone_codes;
pub mod rate_limit;
pub mod sessions;
pub mod settings;
pub mod sso;
pub mod throttle;
pub mod token;
mod verified;

pub use audience::Audience;
