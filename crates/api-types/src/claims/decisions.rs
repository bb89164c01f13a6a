//! What a vendor (or operations) sends to decide on a claim.

use serde::Deserialize;
use utoipa::ToSchema;

/// Approving a return: the shopper sends the item back.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// For the shopper (at most 500 characters).
    pub note: Option<String>,
}

/// Rejecting a claim needs a reason the shopper is shown.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    /// 1 to 500 characters.
    pub note: String,
}

/// Holding a return back pauses its refund (a disputed return fee, an item
/// not received back).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Holdback {
    /// 1 to 500 characters.
    pub reason: String,
}

/// The item is back with the vendor; unless held back, the refund is made
/// as quoted.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    /// Put the returned units on sale again (default false).
    #[serde(default)]
    pub restock: bool,
}
