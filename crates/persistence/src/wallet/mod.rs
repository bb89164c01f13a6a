//! The cash wallet's lots, entries and charges.

pub mod cash;
