//! Settlement: commission rules, the journal, payees and their payouts.

pub mod journal;
pub mod payouts;
pub mod rules;
pub mod statements;
