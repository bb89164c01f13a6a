//! What every context's wire types share: the problem document, the audit
//! trail's entries, health probes and the tri-state field of PATCH bodies.

pub mod audit;
pub mod double_option;
pub mod health;
pub mod problem;
