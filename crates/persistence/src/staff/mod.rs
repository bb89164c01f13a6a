//! Vendor and operations staff and the roles of operations staff.

pub mod members;
pub mod roles;
