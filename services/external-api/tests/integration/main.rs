//! The partner and webhook API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod openapi;
mod partners;
