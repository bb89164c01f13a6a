//! A seller's own profile changes.

use crate::sellers::views::ShippingPolicyBody;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellerPatch {
    pub shipping_policy: ShippingPolicyBody,
}
