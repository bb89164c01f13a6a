//! Partner platforms and their credentials.

pub mod registry;
