//! Claims: the claim and its lines, the order as a claim finds it, the
//! plan's writes, and the card refunds asked of providers.

pub mod exchanges;
pub mod orders;
pub mod refunds;
pub mod requests;
