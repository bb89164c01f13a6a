//! Local doubles of outside providers, speaking their documented protocols.

pub mod app_store;
mod oidc;
mod payments;
mod portone;
mod solapi;

pub use oidc::{OidcProvider, Person, Twist};
pub use payments::Payments;
pub use portone::PortOneIdentity;
pub use solapi::{SentSms, Solapi};

/// The credentials the Solapi double accepts.
pub fn solapi_api_key() -> &'static str {
    solapi::API_KEY
}

pub fn solapi_api_secret() -> &'static str {
    solapi::API_SECRET
}
