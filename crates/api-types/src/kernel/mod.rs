//! What every context's wire types share: the problem document, the audit
//! trail's entries, health probes, ledger entries, the tri-state field of
//! PATCH bodies and the `vocabulary!` of closed word sets.

pub mod audit;
pub mod double_option;
pub mod health;
pub(crate) mod ledger;
pub mod problem;
pub mod vocabulary;
