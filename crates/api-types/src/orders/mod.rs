//! The orders context on the wire.

pub mod cart;
pub mod checkout;
pub mod operations;
pub mod purchase_orders;
pub mod vocabulary;
