//! Operations staff invitations and role assignment.

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminInvitationRequest {
    #[schema(example = "ops@marketplace.example")]
    pub email: String,
    #[schema(example = "Lee Seojun")]
    pub name: String,
    /// The roles to hold (may be empty).
    #[serde(default)]
    pub role_ids: Vec<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StaffRolesRequest {
    pub role_ids: Vec<Uuid>,
}
