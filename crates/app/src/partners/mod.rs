//! Partner platforms: their credentials, scopes and rate limits, and the
//! check every signed request passes.

pub mod registry;
