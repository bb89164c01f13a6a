//! Payment attempts, their exchanges with providers, and notifications.

pub mod attempts;
