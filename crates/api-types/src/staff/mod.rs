//! The staff context on the wire.

pub mod auth;
pub mod operations_staff;
pub mod roles;
pub mod seller_staff;
pub mod vocabulary;
