//! Provider clients (email, identity verification, SMS, parcel tracking) against local doubles that speak each provider's protocol.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod delivery_tracker;
mod email;
mod identity;
mod sms;
