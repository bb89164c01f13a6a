//! Settlement on the wire: commission rules and the journal.

pub mod journal;
pub mod payouts;
pub mod rules;
pub mod statements;
