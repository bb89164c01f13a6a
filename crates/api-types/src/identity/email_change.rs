//! Changing a shopper's email address.

use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeRequest {
    #[schema(example = "minji.kim@example.com")]
    pub new_email: String,
    /// The current password.
    #[schema(format = Password)]
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeConfirmation {
    /// The `token` of the link sent to the new address.
    pub token: String,
}
