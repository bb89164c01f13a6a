//! The vendor API over HTTP against the real stores.
//!
//! One test binary per crate: each module is one area, and the crate links once.

mod catalog_products;
mod claims_cancels;
mod claims_exchanges;
mod claims_returns;
mod fulfilment_confirmation;
mod fulfilment_delays;
mod fulfilment_shipping;
mod fulfilment_tracking;
mod openapi;
mod sellers_onboarding;
mod settlement_accrual;
mod settlement_end_to_end;
mod settlement_payouts;
mod staff;
