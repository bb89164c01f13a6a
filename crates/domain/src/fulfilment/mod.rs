//! Getting a paid order to the shopper: the carriers we accept tracking
//! numbers for, the carrier's story of a parcel, the vendor's steps, and
//! dispatch deadlines (on the Korean business-day calendar,
//! [`crate::calendar`]).

pub mod carriers;
pub mod confirmation;
pub mod delays;
pub mod dispatch;
pub mod steps;
pub mod tracking;
