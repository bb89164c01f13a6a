//! Getting a paid order to the shopper: the carriers we accept tracking
//! numbers for, the carrier's story of a parcel, the vendor's steps, and the
//! Korean business-day calendar that dispatch deadlines run on.

pub mod calendar;
pub mod carriers;
pub mod confirmation;
pub mod delays;
pub mod dispatch;
pub mod steps;
pub mod tracking;
