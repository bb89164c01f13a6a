//! Claims: a shopper cancels product orders before they ship, or returns
//! them after delivery; the vendor (or operations) approves, receives and
//! may hold a return back. What goes back to each source is quoted before
//! the claim is made ([`requests::quote`]) and paid exactly as quoted.

pub mod decisions;
mod exchanges;
mod execution;
pub mod jobs;
pub mod notices;
mod priced;
pub mod requests;
mod snapshot;
pub mod views;

pub use execution::{ReconcileClaimRefunds, Reconciled, mismatches, reconcile};
