//! Vendor and operations staff: accounts and invitations, roles, sessions
//! with a second factor, passwords, and audited reads of personal data.

mod access;
pub mod jobs;
pub mod members;
pub mod passwords;
pub mod personal_data;
pub mod roles;
pub mod sessions;
