//! Who is calling: a verified token's caller, the buyer behind a cart or an
//! order, and an authorised staff member with their organisation.

mod buyer;
mod staff;
mod verified;

pub use buyer::Buyer;
pub use staff::{
    Organisation, Origin, STAFF_SCOPES, StaffPrincipal, authorize, require, staff_kind,
};
pub use verified::{
    ADULT_SCOPE, AuthenticationError, GUEST_SCOPES, Principal, SHOPPER_SCOPES, authenticate,
    device_hash, shopper_scopes,
};
pub(crate) use verified::{principal_if_live, verified_claims};
