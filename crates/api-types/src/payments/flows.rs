//! The provider-specific steps of paying for an order.

use crate::payments::views::Payment;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// What the Toss widget hands back on success.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TossConfirm {
    pub payment_key: String,
    /// Our order number, as given to the widget.
    #[schema(example = "2026120300000042")]
    pub order_id: String,
    #[schema(value_type = u64, example = 49000)]
    pub amount: rust_decimal::Decimal,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PayOrder {
    pub purchase_order_id: Uuid,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KakaoPayReady {
    pub payment: Payment,
    /// Where to send the shopper, by device.
    pub redirect_pc_url: String,
    pub redirect_mobile_url: String,
    pub redirect_app_url: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KakaoPayApprove {
    pub payment_id: Uuid,
    /// From KakaoPay's redirect to the approval URL.
    pub pg_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayPalOrder {
    pub payment: Payment,
    pub paypal_order_id: String,
    /// Where the buyer approves the order at PayPal.
    pub approve_url: String,
}
