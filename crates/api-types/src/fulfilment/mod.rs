//! Fulfilment on the wire: dispatch deadlines, shipments with the carrier's
//! events, and carriers' reports.

pub mod carrier_events;
pub mod confirmation;
pub mod delays;
pub mod dispatch;
pub mod shipments;
pub mod vocabulary;
