//! Roles and their permissions.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Every permission a role can grant.
#[derive(Debug, Serialize, ToSchema)]
pub struct PermissionList {
    #[schema(example = json!(["staff.read", "audit.read"]))]
    pub items: Vec<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleView {
    pub id: Uuid,
    #[schema(example = "CS agent")]
    pub name: String,
    pub description: String,
    #[schema(example = json!(["users.personal_data.read", "orders.read"]))]
    pub permissions: Vec<String>,
    /// Optimistic-locking version; also the `ETag`.
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

impl RoleView {
    pub fn of(role: app::staff::roles::Role) -> Self {
        Self {
            id: role.role.id,
            name: role.role.name,
            description: role.role.description,
            permissions: role.permissions,
            version: role.role.version,
            updated_at: role.role.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleList {
    pub items: Vec<RoleView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewRoleRequest {
    #[schema(example = "CS agent", max_length = 60)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// Permission names (`GET /v1/permissions`).
    #[schema(example = json!(["users.personal_data.read"]))]
    pub permissions: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RolePermissionsRequest {
    #[schema(example = json!(["users.personal_data.read", "orders.read"]))]
    pub permissions: Vec<String>,
}
