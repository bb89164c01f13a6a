//! The shared HTTP layer: problem responses, guards and staff access.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod http;
mod staff_guard;
