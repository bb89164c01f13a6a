//! Authorising staff: who a verified staff token belongs to, and whether
//! their role grants what the route needs. Checked against the database on
//! every request, so a role change or a disabled account takes effect at once.

use auth::Audience;
use domain::identity::permissions::SellerRole;
use domain::tenant::Tenant;
use persistence::AsyncPgConnection;
use persistence::staff::members::{self, kind, status};
use persistence::staff::roles;
use uuid::Uuid;

use crate::kernel::ProblemCode;
use crate::kernel::audit::Actor;
use crate::kernel::principals::Principal;
use crate::{AppError, Context};

/// The scope of every staff token (vendor or operations).
pub const STAFF_SCOPES: &[&str] = &["staff"];

/// A staff member's organisation: a vendor (with a fixed role) or operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Organisation {
    Seller { seller_id: Uuid, role: SellerRole },
    Operations,
}

impl Organisation {
    /// Whose rows this organisation's staff read.
    pub fn tenant(&self) -> Tenant {
        match self {
            Self::Seller { seller_id, .. } => Tenant::Seller(*seller_id),
            Self::Operations => Tenant::Operations,
        }
    }
}

/// A verified, authorised staff caller.
#[derive(Debug, Clone)]
pub struct StaffPrincipal {
    pub id: Uuid,
    pub session_id: String,
    pub organisation: Organisation,
    /// Who to name in the audit log for what this caller does.
    pub actor: Actor,
}

impl StaffPrincipal {
    /// Whose rows this caller reads.
    pub fn tenant(&self) -> Tenant {
        self.organisation.tenant()
    }

    /// The caller's vendor: for use cases only vendor staff may run (403
    /// `seller_only` for operations staff).
    pub fn own_seller_id(&self) -> Result<Uuid, AppError> {
        self.tenant().seller_id().ok_or(AppError::Forbidden {
            code: ProblemCode::SellerOnly,
        })
    }
}

/// Where a request came from.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub ip: &'a str,
    pub user_agent: &'a str,
}

/// The staff kind that logs in on `audience`, if any.
pub fn staff_kind(audience: Audience) -> Option<&'static str> {
    match audience {
        Audience::Seller => Some(kind::SELLER),
        Audience::Admin => Some(kind::ADMIN),
        Audience::Service | Audience::External => None,
    }
}

/// Resolves `principal` (a verified token of `audience`) to an active staff
/// member of that API and checks `permission` (`None`: any staff member).
pub async fn authorize(
    context: &Context,
    audience: Audience,
    principal: &Principal,
    permission: Option<&str>,
    origin: Origin<'_>,
) -> Result<StaffPrincipal, AppError> {
    let refused = || AppError::Unauthorized {
        code: ProblemCode::InvalidToken,
    };
    let expected_kind = staff_kind(audience).ok_or(AppError::Forbidden {
        code: ProblemCode::StaffOnly,
    })?;
    if !principal.claims.has_scope("staff") {
        return Err(refused());
    }
    let id = Uuid::parse_str(&principal.subject).map_err(|_| refused())?;
    let mut conn = context.db.get().await?;
    let Some(access) = members::find_access(&mut conn, id).await? else {
        return Err(refused());
    };
    if access.kind != expected_kind || access.status != status::ACTIVE {
        return Err(refused());
    }
    let organisation = match (access.seller_id, access.seller_role.as_deref()) {
        (Some(seller_id), Some(role)) => Organisation::Seller {
            seller_id,
            role: SellerRole::parse(role)
                .ok_or_else(|| AppError::internal(format!("unknown seller role {role}")))?,
        },
        _ => Organisation::Operations,
    };
    if let Some(permission) = permission
        && !holds(&mut conn, id, &organisation, permission).await?
    {
        return Err(AppError::PermissionDenied {
            permission: permission.to_owned(),
        });
    }
    Ok(StaffPrincipal {
        id,
        session_id: principal.session_id.clone(),
        actor: Actor::on(
            audience,
            Some(&id.to_string()),
            origin.ip,
            origin.user_agent,
        ),
        organisation,
    })
}

async fn holds(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    organisation: &Organisation,
    permission: &str,
) -> Result<bool, AppError> {
    Ok(match organisation {
        Organisation::Seller { role, .. } => role.may(permission),
        Organisation::Operations => roles::holds(conn, id, permission).await?,
    })
}

/// Checks a further permission inside a use case (one that depends on the
/// data, such as a document's type), beyond the route's own.
pub async fn require(
    conn: &mut AsyncPgConnection,
    caller: &StaffPrincipal,
    permission: &str,
) -> Result<(), AppError> {
    if holds(conn, caller.id, &caller.organisation, permission).await? {
        Ok(())
    } else {
        Err(AppError::PermissionDenied {
            permission: permission.to_owned(),
        })
    }
}
