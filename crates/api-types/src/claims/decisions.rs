//! What a vendor (or operations) sends to decide on a claim.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

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

/// Product orders the vendor cannot ship.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VendorCancellation {
    /// `sold_out` or `dispatch_delayed`.
    #[schema(value_type = super::vocabulary::ClaimReason)]
    pub reason: String,
    /// Product orders of this vendor order, not shipped yet.
    pub product_order_ids: Vec<Uuid>,
    /// For the shopper (at most 1000 characters).
    pub note: Option<String>,
}

impl From<VendorCancellation> for app::claims::requests::VendorCancelInput {
    fn from(body: VendorCancellation) -> Self {
        Self {
            reason: body.reason,
            product_order_ids: body.product_order_ids,
            note: body.note,
        }
    }
}
