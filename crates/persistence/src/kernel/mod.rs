//! Tables and mechanisms every context uses: the audit log, idempotency
//! keys, the lot ledgers of points and cash, and the honeypot's hits.

pub mod audit;
pub mod idempotency;
pub mod lots;
pub mod security;
