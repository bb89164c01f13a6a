//! Fulfilment's rows: vendor orders' dispatch deadlines, shipments and the
//! product orders in them, and the carriers' tracking events.

pub mod confirmations;
pub mod delays;
pub mod dispatch;
pub mod shipments;
pub mod tracking;
