//! Sign-in through an outside identity provider.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoAuthorization {
    /// Send the browser here (carries state, nonce and the PKCE challenge).
    pub authorization_url: String,
    pub state: String,
    /// Seconds the sign-in may take.
    pub expires_in: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoCallback {
    pub code: String,
    pub state: String,
    /// The guest session's access token on this device, if any: its cart
    /// merges into the account's.
    pub guest_access_token: Option<String>,
}

/// What is missing before the account can be created.
#[derive(Debug, Serialize, ToSchema)]
pub struct SsoSignupRequired {
    #[schema(example = "signup_required")]
    pub status: super::vocabulary::SsoStatus,
    /// Send with the missing fields to `/v1/auth/sso/{provider}/signup`.
    pub signup_token: String,
    pub expires_in: u64,
    /// Among `name`, `phone` (verify the phone by SMS code first, purpose `signup`).
    #[schema(example = json!(["phone"]))]
    pub missing: Vec<&'static str>,
    pub email: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoSignup {
    pub signup_token: String,
    #[schema(example = "Kim Minji")]
    pub name: Option<String>,
    /// Verified just before by SMS code, purpose `signup`.
    #[schema(example = "010-1234-5678")]
    pub phone: Option<String>,
    /// The guest session's access token on this device, if any: its cart
    /// merges into the new account's.
    pub guest_access_token: Option<String>,
}

/// Links a provider sign-in to the caller's account.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SsoLink {
    /// `link.link_token` of the `sso_link_required` answer, from a sign-in
    /// on this device.
    pub link_token: String,
}
