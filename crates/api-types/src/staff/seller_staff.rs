//! A seller's staff invitations.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellerInvitationRequest {
    #[schema(example = "md@brand.example")]
    pub email: String,
    #[schema(example = "Choi Yuna")]
    pub name: String,
    /// `owner`, `manager` or `staff`.
    #[schema(value_type = super::vocabulary::SellerRole, example = "manager")]
    pub role: String,
}
