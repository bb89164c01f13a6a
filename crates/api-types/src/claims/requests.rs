//! What a shopper sends to quote or make a claim.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

/// A claim on product orders of one order.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    #[schema(value_type = super::vocabulary::ClaimKind)]
    pub kind: String,
    #[schema(value_type = super::vocabulary::ClaimReason)]
    pub reason: String,
    /// Product orders of one order (a return: of one vendor), at most 100.
    pub product_order_ids: Vec<Uuid>,
    /// What the shopper wants the vendor to know (at most 1000 characters).
    pub note: Option<String>,
    /// An exchange's other option: a SKU of the same product (one product
    /// order per exchange; its units are held until the vendor has the item back).
    pub exchange_sku_id: Option<Uuid>,
    /// Required when the order was paid by bank transfer (a Toss virtual
    /// account): where the money goes back.
    pub refund_account: Option<crate::wallet::cash::RefundAccount>,
}

impl From<ClaimRequest> for app::claims::requests::ClaimInput {
    fn from(body: ClaimRequest) -> Self {
        Self {
            kind: body.kind,
            reason: body.reason,
            product_order_ids: body.product_order_ids,
            note: body.note,
            exchange_sku_id: body.exchange_sku_id,
            refund_account: body.refund_account.map(Into::into),
        }
    }
}
