//! Staff login, second factor, invitations and staff lists.

use crate::identity::tokens::TokenResponse;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffLoginRequest {
    #[schema(example = "owner@brand.example")]
    pub email: String,
    #[schema(format = Password)]
    pub password: String,
}

/// The next step after a correct password.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaChallengeResponse {
    /// `mfa_required` (send a code to `/v1/auth/mfa/verify`) or
    /// `mfa_enrolment_required` (first `/v1/auth/mfa/enrolment`).
    #[schema(example = "mfa_required")]
    pub status: super::vocabulary::MfaStatus,
    pub mfa_token: String,
    /// Seconds the challenge stays open.
    #[schema(example = 300)]
    pub expires_in: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaEnrolmentRequest {
    pub mfa_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MfaEnrolmentResponse {
    /// Base32 secret, for typing into an authenticator app.
    #[schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")]
    pub secret: String,
    /// `otpauth://totp/...`, for a QR code.
    pub otpauth_uri: String,
}

impl From<app::staff::sessions::Enrolment> for MfaEnrolmentResponse {
    fn from(enrolment: app::staff::sessions::Enrolment) -> Self {
        Self {
            secret: enrolment.secret,
            otpauth_uri: enrolment.otpauth_uri,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaVerifyRequest {
    pub mfa_token: String,
    /// The 6-digit code of the authenticator app.
    #[schema(example = "123456")]
    pub code: Option<String>,
    /// Or one of the recovery codes handed out at enrolment (each works once).
    #[schema(example = "7KQ2M-X9PTR")]
    pub recovery_code: Option<String>,
}

/// Tokens, plus (once, at enrolment) the recovery codes.
#[derive(Debug, Serialize, ToSchema)]
pub struct MfaVerifyResponse {
    #[serde(flatten)]
    pub tokens: TokenResponse,
    /// Present only when this verification completed an enrolment: store
    /// them safely, they are never shown again.
    pub recovery_codes: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitationRequest {
    /// The `token` of the emailed link.
    pub token: String,
    /// The password to set (the password policy applies).
    #[schema(format = Password)]
    pub password: String,
}

/// A staff member as colleagues see them (both APIs).
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffView {
    pub id: uuid::Uuid,
    /// `null` when it cannot be decrypted.
    pub email: Option<String>,
    pub name: Option<String>,
    /// `invited`, `pending_verification`, `active` or `disabled`.
    #[schema(value_type = super::vocabulary::StaffStatus)]
    pub status: String,
    /// Vendor staff: `owner`, `manager` or `staff`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<super::vocabulary::SellerRole>)]
    pub role: Option<String>,
    /// Operations staff: the roles held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role_ids: Option<Vec<uuid::Uuid>>,
    pub mfa_enabled: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<app::staff::members::StaffSummary> for StaffView {
    fn from(summary: app::staff::members::StaffSummary) -> Self {
        let operations = summary.seller_role.is_none();
        Self {
            id: summary.id,
            email: summary.email,
            name: summary.name,
            status: summary.status,
            role: summary.seller_role,
            role_ids: operations.then_some(summary.role_ids),
            mfa_enabled: summary.mfa_enabled,
            created_at: summary.created_at,
        }
    }
}

/// `{ "items": [...] }` of staff.
#[derive(Debug, Serialize, ToSchema)]
pub struct StaffList {
    pub items: Vec<StaffView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationResponse {
    pub staff_id: uuid::Uuid,
    #[schema(example = "invited")]
    pub status: super::vocabulary::StaffStatus,
}

/// The caller's own staff account (and vendor, on seller-api).
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentStaff {
    #[serde(flatten)]
    pub staff: StaffView,
    /// The vendor, on seller-api.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seller_id: Option<uuid::Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPasswordChange {
    #[schema(format = Password)]
    pub current_password: String,
    #[schema(format = Password)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPasswordResetRequest {
    pub email: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffPasswordResetConfirmation {
    /// The `token` of the emailed link.
    pub token: String,
    #[schema(format = Password)]
    pub new_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MfaConfirmation {
    #[schema(example = "123456")]
    pub code: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryCodes {
    /// Shown once: each works once in place of a code.
    pub recovery_codes: Vec<String>,
}
