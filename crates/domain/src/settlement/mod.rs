//! Settlement: what each payee (a vendor, later a content provider) earns
//! and is paid, as a double-entry journal ([`journal`]). Commission is
//! resolved once at placement ([`commission`]) and earnings accrue when a
//! product order is confirmed ([`earning`]) and follow claims after it
//! ([`accrual`]).

pub mod accrual;
pub mod commission;
pub mod earning;
pub mod journal;
pub mod payouts;
pub mod statements;

#[cfg(test)]
mod lifecycle_tests;
