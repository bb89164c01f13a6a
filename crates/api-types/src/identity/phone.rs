//! Phone verification by text message.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneCodeRequest {
    #[schema(example = "010-1234-5678")]
    pub phone: String,
    /// `signup`, `phone_change` or `guest_order`.
    #[schema(value_type = super::vocabulary::PhoneCodePurpose, example = "signup")]
    pub purpose: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneCodeSent {
    /// Seconds the code stays valid.
    #[schema(example = 180)]
    pub expires_in: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhoneCodeCheck {
    pub phone: String,
    #[schema(value_type = super::vocabulary::PhoneCodePurpose)]
    pub purpose: String,
    #[schema(example = "123456")]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PhoneVerified {
    pub verified: bool,
}
