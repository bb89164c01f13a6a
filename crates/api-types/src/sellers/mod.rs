//! The sellers context on the wire.

pub mod accounts;
pub mod application_reviews;
pub mod applications;
pub mod profile;
pub mod views;
pub mod vocabulary;
