//! Vendors: the business identity they apply with, the documents that prove
//! it, and the review of their application.

pub mod application;
pub mod business_registration;
pub mod document;
pub mod shipping;
