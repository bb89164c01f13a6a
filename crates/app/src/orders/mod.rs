//! From cart to paid order: the cart, checkout, the stock holds an unpaid
//! order keeps, the orders themselves and the development payment.

pub mod cart;
pub mod checkout;
pub mod holds;
pub mod jobs;
pub mod purchase_orders;
pub mod test_payment;
