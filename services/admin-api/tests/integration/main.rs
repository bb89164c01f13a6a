//! The operations API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod audit_log;
mod catalog;
mod key_rotation;
mod openapi;
mod permissions;
mod staff_login;
