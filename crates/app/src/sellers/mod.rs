//! Vendors: applications and their review, documents, and the business
//! profile with its shipping policy.

pub mod applications;
pub mod documents;
pub mod profile;
