//! A shopper's own account: profile, deletion, sessions.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct MeResponse {
    pub user_id: String,
    /// `null` if the stored value cannot be decrypted.
    pub email: Option<String>,
    pub name: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    #[schema(value_type = super::vocabulary::ShopperStatus, example = "active")]
    pub status: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileUpdate {
    #[schema(example = "Kim Minji", max_length = 50)]
    pub name: Option<String>,
    /// A number verified just before with purpose `phone_change`.
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccount {
    #[schema(format = Password)]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    pub id: String,
    pub current: bool,
    pub ip: String,
    pub user_agent: String,
    pub created_at: String,
    pub last_seen_at: String,
}
