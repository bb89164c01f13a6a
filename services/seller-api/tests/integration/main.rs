//! The vendor API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod onboarding;
mod openapi;
mod products;
mod staff;
