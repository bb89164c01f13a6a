//! Sessions, tokens and rate limits against the real Redis and PostgreSQL.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod login_throttle;
mod rate_limit;
mod sessions;
mod tokens;
