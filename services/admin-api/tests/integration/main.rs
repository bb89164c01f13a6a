//! The operations API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod catalog;
mod kernel_audit_log;
mod maintenance_key_rotation;
mod openapi;
mod staff_access;
mod staff_login;
mod staff_permissions;
