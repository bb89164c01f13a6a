//! The operations roles → permissions matrix, managed through admin-api.

use diesel_async::AsyncConnection;
use domain::identity::grants::{Permissions, Refusal};
use domain::identity::permissions::admin;
use persistence::staff::roles::{self, RoleWithPermissions};

/// A role with the permissions it grants.
pub type Role = RoleWithPermissions;
use persistence::{AsyncPgConnection, StoreError};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::principals::StaffPrincipal;
use crate::staff::access;
use crate::{AppError, Context};

pub use domain::identity::permissions::ADMINISTRATOR_ROLE;

/// Every operations permission a role can grant, in display order.
pub fn all_permissions() -> &'static [&'static str] {
    admin::ALL
}

/// Each name must be a known permission constant; duplicates collapse.
fn known_permissions(names: &[String]) -> Result<Vec<&'static str>, AppError> {
    let mut known = Vec::with_capacity(names.len());
    for name in names {
        let permission = admin::parse(name).ok_or_else(|| {
            AppError::invalid(
                "permissions",
                FieldCode::UnknownPermission,
                format!("`{name}` is not a permission (GET /v1/permissions lists them)"),
            )
        })?;
        if !known.contains(&permission) {
            known.push(permission);
        }
    }
    Ok(known)
}

pub async fn list(context: &Context) -> Result<Vec<RoleWithPermissions>, AppError> {
    let mut conn = context.db.get().await?;
    Ok(roles::list(&mut conn, None).await?)
}

pub async fn find(context: &Context, id: Uuid) -> Result<RoleWithPermissions, AppError> {
    let mut conn = context.db.get().await?;
    roles::list(&mut conn, Some(&[id]))
        .await?
        .pop()
        .ok_or(AppError::NotFound { resource: "role" })
}

pub struct NewRole {
    pub name: String,
    pub description: String,
    pub permissions: Vec<String>,
}

pub async fn create(
    context: &Context,
    caller: &StaffPrincipal,
    role: NewRole,
) -> Result<RoleWithPermissions, AppError> {
    let name = role.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid(
            "name",
            FieldCode::InvalidLength,
            "between 1 and 60 characters",
        ));
    }
    if role.description.chars().count() > 500 {
        return Err(AppError::invalid(
            "description",
            FieldCode::TooLong,
            "at most 500 characters",
        ));
    }
    let permissions = known_permissions(&role.permissions)?;
    let id = Uuid::new_v4();
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        roles::serialise_access_changes(conn).await?;
        let held = access::held_by_caller(conn, caller).await?;
        let granting = permissions.iter().map(|p| (*p).to_owned()).collect();
        access::check_change(&held, &Permissions::new(), &granting)?;
        roles::insert(conn, id, &name, role.description.trim())
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::Conflict {
                    code: ProblemCode::RoleNameTaken,
                    message: format!("a role named {name} exists"),
                },
                other => other.into(),
            })?;
        roles::replace_permissions(conn, id, None, &permissions).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "role.created",
                subject: Some(("role", id.to_string())),
                details: json!({ "name": name, "permissions": permissions }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    find(context, id).await
}

/// Replaces a role's permissions; with `expected_version` (from `If-Match`)
/// a stale edit is refused.
pub async fn set_permissions(
    context: &Context,
    caller: &StaffPrincipal,
    id: Uuid,
    permissions: &[String],
    expected_version: Option<i32>,
) -> Result<RoleWithPermissions, AppError> {
    let permissions = known_permissions(permissions)?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        roles::serialise_access_changes(conn).await?;
        let before = roles::list(conn, Some(&[id]))
            .await?
            .pop()
            .ok_or(AppError::NotFound { resource: "role" })?;
        let caller_roles = roles::roles_of(conn, &[caller.id])
            .await?
            .remove(&caller.id);
        if caller_roles.is_some_and(|held| held.contains(&id)) {
            return Err(access::refused(Refusal::OwnAccess));
        }
        let held = access::held_by_caller(conn, caller).await?;
        let after = permissions.iter().map(|p| (*p).to_owned()).collect();
        access::check_change(&held, &before.permissions.iter().cloned().collect(), &after)?;
        roles::replace_permissions(conn, id, expected_version, &permissions)
            .await?
            .ok_or(AppError::PreconditionFailed)?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "role.permissions_changed",
                subject: Some(("role", id.to_string())),
                details: json!({ "before": before.permissions, "after": permissions }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    find(context, id).await
}

/// Creates the administrator role if missing and grants it every current
/// permission; returns its id.
pub async fn ensure_administrator_role(conn: &mut AsyncPgConnection) -> Result<Uuid, StoreError> {
    let id = match roles::find_by_name(conn, ADMINISTRATOR_ROLE).await? {
        Some(role) => role.id,
        None => {
            let id = Uuid::new_v4();
            roles::insert(conn, id, ADMINISTRATOR_ROLE, "Every permission").await?;
            id
        }
    };
    roles::replace_permissions(conn, id, None, admin::ALL).await?;
    Ok(id)
}
