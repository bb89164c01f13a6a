//! Vendors, their applications and documents.

pub mod vendors;
