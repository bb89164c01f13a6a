//! Adult verification through an identity provider.

use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
pub struct StartedVerification {
    /// Pass to the provider's window as `identityVerificationId`.
    #[schema(example = "iv-3f2a9c0d5e6b4f1a8c7d6e5f4a3b2c1d")]
    pub identity_verification_id: String,
    #[schema(example = "portone")]
    pub provider: super::vocabulary::VerificationProvider,
    pub store_id: String,
    pub channel_key: String,
    /// The page that runs the verification window.
    pub verification_url: String,
    /// Seconds left to finish it.
    pub expires_in: u64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerificationResult {
    /// Of age for age-restricted goods; tokens minted from now on carry the
    /// `adult` scope (refresh, or log in again).
    pub adult: bool,
}
