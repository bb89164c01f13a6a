//! Shopper login.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "minji@example.com")]
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
    /// The access token of the guest session on this device, if any: its
    /// cart merges into the member's.
    pub guest_access_token: Option<String>,
}
