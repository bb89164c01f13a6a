//! The operations roles → permissions matrix and who holds which role.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{admin_role_permissions, admin_roles, admin_staff_roles, staff_accounts};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = admin_roles, check_for_backend(diesel::pg::Pg))]
pub struct RoleRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// A role with the permissions it grants, sorted.
#[derive(Debug, Clone)]
pub struct RoleWithPermissions {
    pub role: RoleRow,
    pub permissions: Vec<String>,
}

/// Creates a role; a taken name is `StoreError::Conflict` naming `admin_roles_name_key`.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: &str,
    description: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(admin_roles::table)
        .values((
            admin_roles::id.eq(id),
            admin_roles::name.eq(name),
            admin_roles::description.eq(description),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find_by_name(
    conn: &mut AsyncPgConnection,
    name: &str,
) -> Result<Option<RoleRow>, StoreError> {
    Ok(admin_roles::table
        .filter(admin_roles::name.eq(name))
        .select(RoleRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Replaces a role's permissions, if the role is still at `expected_version`
/// (any version when `None`); returns the new version, `None` when stale.
pub async fn replace_permissions(
    conn: &mut AsyncPgConnection,
    role_id: Uuid,
    expected_version: Option<i32>,
    permissions: &[&str],
) -> Result<Option<i32>, StoreError> {
    let Some((id, version)) = admin_roles::table
        .filter(admin_roles::id.eq(role_id))
        .select((admin_roles::id, admin_roles::version))
        .for_update()
        .first::<(Uuid, i32)>(conn)
        .await
        .optional()?
    else {
        return Ok(None);
    };
    if expected_version.is_some_and(|expected| expected != version) {
        return Ok(None);
    }
    diesel::delete(admin_role_permissions::table.filter(admin_role_permissions::role_id.eq(id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = permissions
        .iter()
        .map(|permission| {
            (
                admin_role_permissions::role_id.eq(id),
                admin_role_permissions::permission.eq(*permission),
            )
        })
        .collect();
    diesel::insert_into(admin_role_permissions::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(Some(
        diesel::update(admin_roles::table.find(id))
            .set(admin_roles::version.eq(admin_roles::version + 1))
            .returning(admin_roles::version)
            .get_result(conn)
            .await?,
    ))
}

/// Every role (or only `ids`) with its permissions: two queries whatever the count.
pub async fn list(
    conn: &mut AsyncPgConnection,
    ids: Option<&[Uuid]>,
) -> Result<Vec<RoleWithPermissions>, StoreError> {
    let mut query = admin_roles::table
        .select(RoleRow::as_select())
        .order(admin_roles::name)
        .into_boxed();
    if let Some(ids) = ids {
        query = query.filter(admin_roles::id.eq_any(ids));
    }
    let roles: Vec<RoleRow> = query.load(conn).await?;
    let role_ids: Vec<Uuid> = roles.iter().map(|r| r.id).collect();
    let grants: Vec<(Uuid, String)> = admin_role_permissions::table
        .filter(admin_role_permissions::role_id.eq_any(&role_ids))
        .select((
            admin_role_permissions::role_id,
            admin_role_permissions::permission,
        ))
        .order(admin_role_permissions::permission)
        .load(conn)
        .await?;
    let mut by_role: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    for (role_id, permission) in grants {
        by_role.entry(role_id).or_default().push(permission);
    }
    Ok(roles
        .into_iter()
        .map(|role| RoleWithPermissions {
            permissions: by_role.remove(&role.id).unwrap_or_default(),
            role,
        })
        .collect())
}

/// Which of `ids` exist.
pub async fn existing(conn: &mut AsyncPgConnection, ids: &[Uuid]) -> Result<Vec<Uuid>, StoreError> {
    Ok(admin_roles::table
        .filter(admin_roles::id.eq_any(ids))
        .select(admin_roles::id)
        .load(conn)
        .await?)
}

/// Replaces the roles a staff member holds.
pub async fn assign(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    role_ids: &[Uuid],
) -> Result<(), StoreError> {
    diesel::delete(admin_staff_roles::table.filter(admin_staff_roles::staff_id.eq(staff_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = role_ids
        .iter()
        .map(|role_id| {
            (
                admin_staff_roles::staff_id.eq(staff_id),
                admin_staff_roles::role_id.eq(role_id),
            )
        })
        .collect();
    diesel::insert_into(admin_staff_roles::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// The role ids each of `staff_ids` holds.
pub async fn roles_of(
    conn: &mut AsyncPgConnection,
    staff_ids: &[Uuid],
) -> Result<BTreeMap<Uuid, Vec<Uuid>>, StoreError> {
    let rows: Vec<(Uuid, Uuid)> = admin_staff_roles::table
        .filter(admin_staff_roles::staff_id.eq_any(staff_ids))
        .select((admin_staff_roles::staff_id, admin_staff_roles::role_id))
        .load(conn)
        .await?;
    let mut by_staff: BTreeMap<Uuid, Vec<Uuid>> = BTreeMap::new();
    for (staff_id, role_id) in rows {
        by_staff.entry(staff_id).or_default().push(role_id);
    }
    Ok(by_staff)
}

/// Whether a staff member holds `permission` through any of their roles.
pub async fn holds(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    permission: &str,
) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        admin_staff_roles::table
            .inner_join(
                admin_role_permissions::table
                    .on(admin_role_permissions::role_id.eq(admin_staff_roles::role_id)),
            )
            .filter(admin_staff_roles::staff_id.eq(staff_id))
            .filter(admin_role_permissions::permission.eq(permission)),
    ))
    .get_result(conn)
    .await?)
}

/// Every permission a staff member holds through their roles, sorted.
pub async fn permissions_held(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
) -> Result<Vec<String>, StoreError> {
    Ok(admin_staff_roles::table
        .inner_join(
            admin_role_permissions::table
                .on(admin_role_permissions::role_id.eq(admin_staff_roles::role_id)),
        )
        .filter(admin_staff_roles::staff_id.eq(staff_id))
        .select(admin_role_permissions::permission)
        .distinct()
        .order(admin_role_permissions::permission)
        .load(conn)
        .await?)
}

/// Serialises every change of who may do what (roles held, role
/// permissions, invitations, disabling) until the transaction ends, so two
/// staff members acting on each other at once are judged one after the
/// other.
pub async fn serialise_access_changes(conn: &mut AsyncPgConnection) -> Result<(), StoreError> {
    crate::kernel::locks::hold(conn, "staff-access").await
}

/// How many active staff members other than `except` hold `role_id`.
pub async fn other_active_holders(
    conn: &mut AsyncPgConnection,
    role_id: Uuid,
    except: Uuid,
) -> Result<i64, StoreError> {
    Ok(admin_staff_roles::table
        .inner_join(staff_accounts::table)
        .filter(admin_staff_roles::role_id.eq(role_id))
        .filter(admin_staff_roles::staff_id.ne(except))
        .filter(staff_accounts::status.eq(super::members::status::ACTIVE))
        .count()
        .get_result(conn)
        .await?)
}
