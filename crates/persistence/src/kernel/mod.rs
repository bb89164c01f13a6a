//! Tables and mechanisms every context uses: the audit log, idempotency
//! keys, advisory locks by name, the lot ledgers of points and cash,
//! passwords and their reset links (shoppers' and staff's), and the
//! honeypot's hits.

pub mod audit;
pub mod idempotency;
pub mod locks;
pub mod lots;
pub mod passwords;
pub mod security;
