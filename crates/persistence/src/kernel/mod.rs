//! Tables every context writes: the audit log, idempotency keys and the
//! honeypot's hits.

pub mod audit;
pub mod idempotency;
pub mod security;
