//! The grant rule (`domain::identity::grants`) applied to stored staff:
//! what a member holds, what roles grant, and the administrator who must
//! remain. Every use case that changes who may do what runs these checks
//! inside its transaction, after `roles::serialise_access_changes`.

use domain::identity::grants::{self, Permissions, Refusal};
use domain::identity::permissions::{ADMINISTRATOR_ROLE, SellerRole};
use persistence::AsyncPgConnection;
use persistence::staff::roles;
use uuid::Uuid;

use crate::AppError;
use crate::kernel::ProblemCode;
use crate::kernel::principals::{Organisation, StaffPrincipal};

/// What a staff member holds: their vendor role's permissions, or those of
/// every operations role they hold.
pub(crate) async fn held_by(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    seller_role: Option<SellerRole>,
) -> Result<Permissions, AppError> {
    Ok(match seller_role {
        Some(role) => granted_by_role(role),
        None => roles::permissions_held(conn, staff_id)
            .await?
            .into_iter()
            .collect(),
    })
}

/// What a vendor role grants.
pub(crate) fn granted_by_role(role: SellerRole) -> Permissions {
    role.permissions().iter().map(|p| (*p).to_owned()).collect()
}

/// What the caller holds, read afresh.
pub(crate) async fn held_by_caller(
    conn: &mut AsyncPgConnection,
    caller: &StaffPrincipal,
) -> Result<Permissions, AppError> {
    let role = match caller.organisation {
        Organisation::Seller { role, .. } => Some(role),
        Organisation::Operations => None,
    };
    held_by(conn, caller.id, role).await
}

/// What holding `role_ids` grants (unknown ids grant nothing).
pub(crate) async fn granted_by(
    conn: &mut AsyncPgConnection,
    role_ids: &[Uuid],
) -> Result<Permissions, AppError> {
    Ok(roles::list(conn, Some(role_ids))
        .await?
        .into_iter()
        .flat_map(|role| role.permissions)
        .collect())
}

/// The caller may act on a colleague holding `target` (`target_id`).
pub(crate) fn check_act_on(
    caller: &StaffPrincipal,
    held: &Permissions,
    target_id: Uuid,
    target: &Permissions,
) -> Result<(), AppError> {
    grants::may_act_on(held, target, target_id == caller.id).map_err(refused)
}

/// The caller may change a set of permissions from `before` to `after`.
pub(crate) fn check_change(
    held: &Permissions,
    before: &Permissions,
    after: &Permissions,
) -> Result<(), AppError> {
    grants::may_change(held, before, after).map_err(refused)
}

pub(crate) fn refused(refusal: Refusal) -> AppError {
    match refusal {
        Refusal::OwnAccess => AppError::Forbidden {
            code: ProblemCode::CannotChangeOwnAccess,
        },
        Refusal::NotHeld(permission) => AppError::AccessBeyondOwn { permission },
    }
}

/// Refuses to leave the administrator role without an active holder when
/// `staff_id` loses the roles `losing` (taken away, or disabled).
pub(crate) async fn keep_an_administrator(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    losing: &[Uuid],
) -> Result<(), AppError> {
    let Some(administrator) = roles::find_by_name(conn, ADMINISTRATOR_ROLE).await? else {
        return Ok(());
    };
    if losing.contains(&administrator.id)
        && roles::other_active_holders(conn, administrator.id, staff_id).await? == 0
    {
        return Err(AppError::Conflict {
            code: ProblemCode::LastAdministrator,
            message: "the last active administrator keeps the role; appoint another first".into(),
        });
    }
    Ok(())
}
