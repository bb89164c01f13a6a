//! Seller signup and email verification.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SellerSignupRequest {
    #[schema(example = "owner@brand.example", max_length = 254)]
    pub email: String,
    #[schema(example = "autumn leaves 7", format = Password, max_length = 128)]
    pub password: String,
    /// The owner's name.
    #[schema(example = "Park Jiwoo", max_length = 50)]
    pub name: String,
    /// The shop's name as shoppers will see it.
    #[schema(example = "Seoul Denim Works", max_length = 100)]
    pub seller_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SellerSignupResponse {
    pub seller_id: Uuid,
    pub staff_id: Uuid,
    #[schema(example = "pending_verification")]
    pub status: crate::staff::vocabulary::StaffStatus,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailVerificationRequest {
    /// The `token` of the emailed link.
    pub token: String,
}
