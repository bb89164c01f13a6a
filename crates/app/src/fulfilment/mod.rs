//! Fulfilment: vendors accept paid product orders, keep (or once delay)
//! their dispatch deadline, and ship them in shipments with a carrier's
//! tracking number; carriers' events tell where each parcel is, and a
//! delivery event delivers its product orders.

pub mod confirmation;
pub mod delays;
pub mod dispatch;
pub mod jobs;
mod lines;
pub mod shipments;
pub mod tracker;
pub mod tracking;
