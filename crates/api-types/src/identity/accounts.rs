//! Shopper signup and email verification.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[schema(example = "minji@example.com", max_length = 254)]
    pub email: String,
    /// At least 10 characters of two kinds (or 8 of three), not a common
    /// password, not containing the email's local part; up to 128 characters.
    #[schema(example = "autumn leaves 7", format = Password, max_length = 128)]
    pub password: String,
    #[schema(example = "Kim Minji", max_length = 50)]
    pub name: String,
    /// Any common form; stored as E.164 (`+821012345678`).
    #[schema(example = "010-1234-5678")]
    pub phone: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignupResponse {
    pub user_id: String,
    #[schema(example = "pending_verification")]
    pub status: super::vocabulary::ShopperStatus,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailVerificationRequest {
    /// The `token` of the emailed link.
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailVerificationResponse {
    pub user_id: String,
    #[schema(example = "active")]
    pub status: super::vocabulary::ShopperStatus,
}
