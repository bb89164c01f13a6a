//! Carts, what carts and checkout read of SKUs, purchase orders and the
//! stock holds of unpaid ones.

pub mod carts;
pub mod holds;
pub mod purchase_orders;
pub mod sellable;
