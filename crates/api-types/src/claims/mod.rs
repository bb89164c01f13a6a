//! Claims on the wire: a quote before the claim, the claim as shoppers,
//! vendors and operations see it, and the vendor's decisions.

pub mod decisions;
pub mod requests;
pub mod views;
pub mod vocabulary;
