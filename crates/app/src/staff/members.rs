//! Staff accounts: a vendor's owner signs up on seller-api (creating the
//! vendor, pending review); colleagues are invited by email and set their
//! own password; operations staff are invited by an administrator.

use auth::Audience;
use chrono::{DateTime, TimeDelta, Utc};
use crypto::{BlindIndexKind, Sealed};
use diesel_async::AsyncConnection;
use domain::identity::grants::Permissions;
use domain::identity::permissions::SellerRole;
use domain::tenant::Tenant;
use persistence::StoreError;
use persistence::staff::members::{self, NewStaff, StaffRow, kind, status};
use persistence::staff::roles;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::kernel::FieldCode;
use crate::kernel::ProblemCode;
use crate::kernel::audit::{self, AuditEvent};
use crate::kernel::mail_links::{self, Link, LinkMessage, Recipient};
use crate::kernel::passwords::{History, checked_hash};
use crate::kernel::principals::{Organisation, StaffPrincipal, staff_kind};
use crate::staff::access;
use crate::{AppError, Context};

/// What an emailed staff link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A vendor owner's sign-up: confirms the address.
    Verification,
    /// A colleague's invitation: sets the password.
    Invitation,
}

impl LinkKind {
    /// The signing purpose, bound to the API so a link for one never works on the other.
    fn purpose(self, staff_kind: &str) -> String {
        match self {
            Self::Verification => format!("staff-verification:{staff_kind}"),
            Self::Invitation => format!("staff-invitation:{staff_kind}"),
        }
    }

    fn pending_status(self) -> &'static str {
        match self {
            Self::Verification => status::PENDING_VERIFICATION,
            Self::Invitation => status::INVITED,
        }
    }
}

fn email_conflict(error: StoreError) -> AppError {
    match error {
        StoreError::Conflict(constraint) if constraint == "staff_accounts_email_key" => {
            AppError::Conflict {
                code: ProblemCode::EmailAlreadyRegistered,
                message: "a staff account with this email already exists".into(),
            }
        }
        other => other.into(),
    }
}

fn email_of(raw: &str) -> Result<String, AppError> {
    crypto::normalize_email(raw).map_err(|_| {
        AppError::invalid(
            "email",
            FieldCode::InvalidFormat,
            "not a valid email address",
        )
    })
}

struct Person {
    email: String,
    name: String,
}

fn new_staff(
    id: Uuid,
    person: Person,
    organisation: Organisation,
    password_hash: Option<String>,
    status: &'static str,
    now: DateTime<Utc>,
) -> Result<NewStaff, AppError> {
    let vault = crypto::installed().map_err(AppError::internal)?;
    let (seller_id, seller_role) = match organisation {
        Organisation::Seller { seller_id, role } => (Some(seller_id), Some(role.as_str())),
        Organisation::Operations => (None, None),
    };
    Ok(NewStaff {
        id,
        kind: members::kind_of(organisation.tenant()),
        seller_id,
        seller_role,
        email_index: vault.blind_index(BlindIndexKind::Email, &person.email),
        email: Sealed::new(person.email),
        name: Sealed::new(person.name),
        password_hash,
        status,
        link_sent_at: Some(now),
    })
}

pub struct SellerSignup {
    pub email: String,
    pub password: String,
    pub name: String,
    pub seller_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SellerSignupOutcome {
    pub seller_id: Uuid,
    pub staff_id: Uuid,
}

/// A vendor's owner signs up: the vendor (applying) and the owner's account
/// (pending until the emailed link is followed), in one transaction with the
/// job that sends the link.
pub async fn seller_signup(
    context: &Context,
    input: SellerSignup,
    ip: &str,
) -> Result<SellerSignupOutcome, AppError> {
    let per_hour = context.identity.rate_limits.signup_per_hour;
    crate::kernel::limits::guard(
        context,
        "seller-signup-ip",
        ip,
        per_hour,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let email = email_of(&input.email)?;
    let name = crate::identity::accounts::display_name(&input.name)?;
    let seller_name = input.seller_name.trim().to_owned();
    if seller_name.is_empty() || seller_name.chars().count() > 100 {
        return Err(AppError::invalid(
            "seller_name",
            FieldCode::InvalidLength,
            "between 1 and 100 characters",
        ));
    }
    let password_hash = checked_hash(
        context,
        "password",
        &input.password,
        &email,
        History::none(),
    )
    .await?;
    let (seller_id, staff_id, now) = (Uuid::new_v4(), Uuid::new_v4(), Utc::now());
    let owner = new_staff(
        staff_id,
        Person { email, name },
        Organisation::Seller {
            seller_id,
            role: SellerRole::Owner,
        },
        Some(password_hash),
        status::PENDING_VERIFICATION,
        now,
    )?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        members::insert_seller(conn, seller_id, &seller_name).await?;
        crate::settlement::commission::open_payee(conn, &context.settlement, seller_id).await?;
        members::insert(conn, owner).await.map_err(email_conflict)?;
        jobs::enqueue(
            conn,
            &SendStaffLink {
                staff_id,
                link: LinkKind::Verification,
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(SellerSignupOutcome {
        seller_id,
        staff_id,
    })
}

/// A colleague to invite.
pub struct Invitation {
    pub email: String,
    pub name: String,
    /// Vendor staff: the role on the inviter's vendor (`owner`, `manager`, `staff`).
    pub seller_role: Option<String>,
    /// Operations staff: the roles to hold.
    pub role_ids: Vec<Uuid>,
}

/// Invites a colleague into the caller's organisation (the same vendor, or
/// operations); they set their own password through the emailed link.
pub async fn invite(
    context: &Context,
    caller: &StaffPrincipal,
    invitation: Invitation,
) -> Result<Uuid, AppError> {
    let email = email_of(&invitation.email)?;
    let name = crate::identity::accounts::display_name(&invitation.name)?;
    let organisation = match caller.organisation {
        Organisation::Seller { seller_id, .. } => Organisation::Seller {
            seller_id,
            role: invitation
                .seller_role
                .as_deref()
                .and_then(SellerRole::parse)
                .ok_or_else(|| {
                    AppError::invalid(
                        "role",
                        FieldCode::UnknownRole,
                        "one of owner, manager, staff",
                    )
                })?,
        },
        Organisation::Operations => Organisation::Operations,
    };
    let (id, now) = (Uuid::new_v4(), Utc::now());
    let row = new_staff(
        id,
        Person { email, name },
        organisation,
        None,
        status::INVITED,
        now,
    )?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        roles::serialise_access_changes(conn).await?;
        let held = access::held_by_caller(conn, caller).await?;
        let granted = match organisation {
            Organisation::Seller { role, .. } => access::granted_by_role(role),
            Organisation::Operations => access::granted_by(conn, &invitation.role_ids).await?,
        };
        access::check_change(&held, &Permissions::new(), &granted)?;
        members::insert(conn, row).await.map_err(email_conflict)?;
        if organisation == Organisation::Operations {
            assign_roles(conn, id, &invitation.role_ids).await?;
        }
        jobs::enqueue(
            conn,
            &SendStaffLink {
                staff_id: id,
                link: LinkKind::Invitation,
            },
        )
        .await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "staff.invited",
                subject: Some(("staff", id.to_string())),
                details: json!({
                    "seller_role": invitation.seller_role,
                    "role_ids": invitation.role_ids,
                }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(id)
}

/// The first operations account (or another, by whoever runs the worker):
/// invited with the administrator role; audited as done by the system.
pub async fn bootstrap_admin(context: &Context, email: &str, name: &str) -> Result<Uuid, AppError> {
    let person = Person {
        email: email_of(email)?,
        name: crate::identity::accounts::display_name(name)?,
    };
    let (id, now) = (Uuid::new_v4(), Utc::now());
    let row = new_staff(
        id,
        person,
        Organisation::Operations,
        None,
        status::INVITED,
        now,
    )?;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        members::insert(conn, row).await.map_err(email_conflict)?;
        let role = crate::staff::roles::ensure_administrator_role(conn).await?;
        roles::assign(conn, id, &[role]).await?;
        jobs::enqueue(
            conn,
            &SendStaffLink {
                staff_id: id,
                link: LinkKind::Invitation,
            },
        )
        .await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: audit::Actor::system(),
                action: "staff.invited",
                subject: Some(("staff", id.to_string())),
                details: json!({ "role": crate::staff::roles::ADMINISTRATOR_ROLE }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    Ok(id)
}

async fn assign_roles(
    conn: &mut persistence::AsyncPgConnection,
    staff_id: Uuid,
    role_ids: &[Uuid],
) -> Result<(), AppError> {
    let existing = roles::existing(conn, role_ids).await?;
    if let Some(unknown) = role_ids.iter().find(|id| !existing.contains(id)) {
        return Err(AppError::invalid(
            "role_ids",
            FieldCode::UnknownRole,
            format!("no role {unknown}"),
        ));
    }
    roles::assign(conn, staff_id, role_ids).await?;
    Ok(())
}

fn invalid_link() -> AppError {
    AppError::invalid(
        "token",
        FieldCode::InvalidToken,
        "the link is invalid, used or expired",
    )
}

/// Follows an emailed staff link on `audience`'s API: a verification
/// activates the account; an invitation also sets its password. Single use
/// (the account leaves the pending state), within its lifetime.
pub async fn follow_link(
    context: &Context,
    audience: Audience,
    link: LinkKind,
    token: &str,
    password: Option<&str>,
    ip: &str,
) -> Result<Uuid, AppError> {
    let per_hour = context.identity.rate_limits.email_verification_per_hour;
    crate::kernel::limits::guard(
        context,
        "staff-link-ip",
        ip,
        per_hour,
        crate::kernel::limits::HOUR,
    )
    .await?;
    let kind = staff_kind(audience).ok_or(AppError::Forbidden {
        code: ProblemCode::StaffOnly,
    })?;
    let id = context
        .identity
        .links
        .verify(&link.purpose(kind), token)
        .map(Uuid::from_bytes)
        .ok_or_else(invalid_link)?;
    let mut conn = context.db.get().await?;
    let account = members::find_by_id(&mut conn, id)
        .await?
        .filter(|row| row.kind == kind && row.status == link.pending_status())
        .ok_or_else(invalid_link)?;
    let password_hash = match (link, password) {
        (LinkKind::Invitation, Some(password)) => {
            let email = account.email.value().ok_or_else(invalid_link)?.to_owned();
            Some(checked_hash(context, "password", password, &email, History::none()).await?)
        }
        (LinkKind::Invitation, None) => {
            return Err(AppError::invalid(
                "password",
                FieldCode::Required,
                "choose a password",
            ));
        }
        (LinkKind::Verification, _) => None,
    };
    let valid_since = Utc::now() - TimeDelta::seconds(context.identity.staff.link_ttl_secs);
    let actor = audit::Actor::of(audience, Some(&id.to_string())).at(ip, None);
    let activated = conn
        .transaction(async |conn| {
            let activated = members::activate_from(
                conn,
                id,
                link.pending_status(),
                valid_since,
                password_hash.as_deref(),
            )
            .await?;
            if activated {
                audit::record(
                    conn,
                    &AuditEvent {
                        actor,
                        action: match link {
                            LinkKind::Verification => "staff.email_verified",
                            LinkKind::Invitation => "staff.invitation_accepted",
                        },
                        subject: Some(("staff", id.to_string())),
                        details: json!({}),
                    },
                )
                .await?;
            }
            Ok::<_, StoreError>(activated)
        })
        .await?;
    if activated {
        Ok(id)
    } else {
        Err(invalid_link())
    }
}

/// A staff member as their colleagues see them.
#[derive(Debug, Clone)]
pub struct StaffSummary {
    pub id: Uuid,
    pub email: Option<String>,
    pub name: Option<String>,
    pub status: String,
    pub seller_role: Option<String>,
    pub role_ids: Vec<Uuid>,
    pub mfa_enabled: bool,
    pub created_at: DateTime<Utc>,
}

fn summary(row: StaffRow, role_ids: Vec<Uuid>) -> StaffSummary {
    StaffSummary {
        id: row.id,
        email: row.email.value().map(str::to_owned),
        name: row.name.value().map(str::to_owned),
        status: row.status,
        seller_role: row.seller_role,
        role_ids,
        mfa_enabled: row.mfa_enabled_at.is_some(),
        created_at: row.created_at,
    }
}

/// The caller's organisation's staff. Reading colleagues' names and emails
/// is a read of personal data, and is audited.
pub async fn list(
    context: &Context,
    caller: &StaffPrincipal,
) -> Result<Vec<StaffSummary>, AppError> {
    let organisation = caller.organisation;
    let mut conn = context.db.get().await?;
    let rows = members::list(&mut conn, organisation.tenant()).await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut roles_of = roles::roles_of(&mut conn, &ids).await?;
    audit::record_now(
        context,
        &AuditEvent {
            actor: caller.actor.clone(),
            action: "personal_data.read",
            subject: Some(("staff", "list".into())),
            details: json!({ "fields": ["email", "name"], "count": rows.len() }),
        },
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let role_ids = roles_of.remove(&row.id).unwrap_or_default();
            summary(row, role_ids)
        })
        .collect())
}

/// The caller's own account.
pub async fn own(context: &Context, caller: &StaffPrincipal) -> Result<StaffSummary, AppError> {
    let organisation = caller.organisation;
    let mut conn = context.db.get().await?;
    let row = members::find(&mut conn, organisation.tenant(), caller.id)
        .await?
        .ok_or(AppError::NotFound { resource: "staff" })?;
    let role_ids = roles::roles_of(&mut conn, &[caller.id])
        .await?
        .remove(&caller.id)
        .unwrap_or_default();
    Ok(summary(row, role_ids))
}

/// Replaces the roles an operations staff member holds.
pub async fn set_roles(
    context: &Context,
    caller: &StaffPrincipal,
    staff_id: Uuid,
    role_ids: &[Uuid],
) -> Result<(), AppError> {
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        roles::serialise_access_changes(conn).await?;
        members::find(conn, Tenant::Operations, staff_id)
            .await?
            .ok_or(AppError::NotFound { resource: "staff" })?;
        let before = roles::roles_of(conn, &[staff_id])
            .await?
            .remove(&staff_id)
            .unwrap_or_default();
        let held = access::held_by_caller(conn, caller).await?;
        let holds_now = access::granted_by(conn, &before).await?;
        access::check_act_on(caller, &held, staff_id, &holds_now)?;
        let will_hold = access::granted_by(conn, role_ids).await?;
        access::check_change(&held, &holds_now, &will_hold)?;
        let losing: Vec<Uuid> = before
            .iter()
            .filter(|id| !role_ids.contains(id))
            .copied()
            .collect();
        access::keep_an_administrator(conn, staff_id, &losing).await?;
        assign_roles(conn, staff_id, role_ids).await?;
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "staff.roles_changed",
                subject: Some(("staff", staff_id.to_string())),
                details: json!({ "before": before, "after": role_ids }),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await
}

/// Disables a colleague of the caller's organisation and ends every one of
/// their sessions.
pub async fn disable(
    context: &Context,
    caller: &StaffPrincipal,
    staff_id: Uuid,
) -> Result<(), AppError> {
    if staff_id == caller.id {
        return Err(AppError::Conflict {
            code: ProblemCode::CannotDisableSelf,
            message: "ask a colleague to disable your account".into(),
        });
    }
    let organisation = caller.organisation;
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        roles::serialise_access_changes(conn).await?;
        let held_roles = colleague_within_reach(conn, caller, organisation, staff_id).await?;
        access::keep_an_administrator(conn, staff_id, &held_roles).await?;
        if !members::disable(conn, organisation.tenant(), staff_id).await? {
            return Err(AppError::NotFound { resource: "staff" });
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "staff.disabled",
                subject: Some(("staff", staff_id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    // Each ended session is audited on its own (`session.revoked`).
    crate::identity::sessions::end_sessions_except(
        context,
        &staff_id.to_string(),
        None,
        &caller.actor,
        "account_disabled",
    )
    .await
}

/// Removes a colleague's second factor (a lost device and lost recovery
/// codes): their sessions end and they enrol again at their next login.
pub async fn reset_mfa(
    context: &Context,
    caller: &StaffPrincipal,
    staff_id: Uuid,
) -> Result<(), AppError> {
    reset_mfa_in(context, caller, caller.organisation, staff_id).await
}

/// Operations support: removes the second factor of a vendor's staff member
/// (an owner who lost both device and recovery codes).
pub async fn reset_vendor_staff_mfa(
    context: &Context,
    caller: &StaffPrincipal,
    seller_id: Uuid,
    staff_id: Uuid,
) -> Result<(), AppError> {
    if caller.organisation != Organisation::Operations {
        return Err(AppError::Forbidden {
            code: ProblemCode::OperationsOnly,
        });
    }
    let mut conn = context.db.get().await?;
    let role = members::find(&mut conn, Tenant::Seller(seller_id), staff_id)
        .await?
        .and_then(|row| row.seller_role.as_deref().and_then(SellerRole::parse))
        .ok_or(AppError::NotFound { resource: "staff" })?;
    reset_mfa_in(
        context,
        caller,
        Organisation::Seller { seller_id, role },
        staff_id,
    )
    .await
}

/// A colleague of `organisation` the caller may act on (no more access
/// than the caller's); returns the operations roles they hold.
async fn colleague_within_reach(
    conn: &mut persistence::AsyncPgConnection,
    caller: &StaffPrincipal,
    organisation: Organisation,
    staff_id: Uuid,
) -> Result<Vec<Uuid>, AppError> {
    let colleague = members::find(conn, organisation.tenant(), staff_id)
        .await?
        .ok_or(AppError::NotFound { resource: "staff" })?;
    let role_ids = roles::roles_of(conn, &[staff_id])
        .await?
        .remove(&staff_id)
        .unwrap_or_default();
    let holds = match colleague.seller_role.as_deref().and_then(SellerRole::parse) {
        Some(role) => access::granted_by_role(role),
        None => access::granted_by(conn, &role_ids).await?,
    };
    let held = access::held_by_caller(conn, caller).await?;
    access::check_act_on(caller, &held, staff_id, &holds)?;
    Ok(role_ids)
}

async fn reset_mfa_in(
    context: &Context,
    caller: &StaffPrincipal,
    organisation: Organisation,
    staff_id: Uuid,
) -> Result<(), AppError> {
    if staff_id == caller.id {
        return Err(AppError::Conflict {
            code: ProblemCode::CannotResetOwnMfa,
            message: "ask a colleague to reset your second factor".into(),
        });
    }
    let mut conn = context.db.get().await?;
    conn.transaction(async |conn| {
        // Operations support resets a vendor's staff by its own permission;
        // within one organisation, only a colleague within reach.
        if organisation.tenant() == caller.tenant() {
            roles::serialise_access_changes(conn).await?;
            colleague_within_reach(conn, caller, organisation, staff_id).await?;
        }
        if !members::clear_mfa(conn, organisation.tenant(), staff_id).await? {
            return Err(AppError::NotFound { resource: "staff" });
        }
        audit::record(
            conn,
            &AuditEvent {
                actor: caller.actor.clone(),
                action: "mfa.reset",
                subject: Some(("staff", staff_id.to_string())),
                details: json!({}),
            },
        )
        .await?;
        Ok::<_, AppError>(())
    })
    .await?;
    crate::identity::sessions::end_sessions_except(
        context,
        &staff_id.to_string(),
        None,
        &caller.actor,
        "mfa_reset",
    )
    .await
}

/// The staff member a mail job writes to, read when the job runs (a
/// failed read is retried).
pub(crate) async fn addressee(
    context: &Context,
    staff_id: Uuid,
) -> Result<Option<members::StaffRow>, jobs::JobError> {
    let retry = |e: &dyn std::fmt::Display| jobs::JobError::retry(e.to_string());
    let mut conn = context.db.get().await.map_err(|e| retry(&e))?;
    members::find_by_id(&mut conn, staff_id)
        .await
        .map_err(|e| retry(&e))
}

/// Whom a staff member's mail is addressed to.
pub(crate) fn recipient(row: &members::StaffRow) -> Recipient<'_> {
    Recipient {
        address: row.email.value(),
        name: row.name.value(),
    }
}

/// Where a staff kind's emailed links lead, and the name of that place.
pub(crate) fn link_base<'a>(context: &'a Context, staff_kind: &str) -> (&'a str, &'static str) {
    let settings = &context.identity.staff;
    if staff_kind == kind::SELLER {
        (&settings.seller_link_base_url, "seller centre")
    } else {
        (&settings.admin_link_base_url, "operations console")
    }
}

/// Emails a staff link (verification or invitation).
#[derive(Debug, Serialize, Deserialize)]
pub struct SendStaffLink {
    pub staff_id: Uuid,
    pub link: LinkKind,
}

impl jobs::Job for SendStaffLink {
    const KIND: &'static str = "staff.send_link";
}

pub(crate) async fn send_staff_link(
    context: &Context,
    job: SendStaffLink,
) -> Result<(), jobs::JobError> {
    let Some(row) = addressee(context, job.staff_id)
        .await?
        .filter(|row| row.status == job.link.pending_status())
    else {
        return Ok(()); // Already followed, or gone: nothing worth sending.
    };
    let (base_url, api_name) = link_base(context, &row.kind);
    let days = context.identity.staff.link_ttl_secs / 86_400;
    let (path, subject, action) = match job.link {
        LinkKind::Verification => (
            "verify-email",
            "Confirm your email address",
            "confirm your email address",
        ),
        LinkKind::Invitation => (
            "accept-invitation",
            "You are invited to the marketplace",
            "accept the invitation and choose your password",
        ),
    };
    mail_links::send_link_to(
        context,
        recipient(&row),
        Link {
            base_url,
            path,
            purpose: &job.link.purpose(&row.kind),
            id: row.id,
        },
        |name, link| LinkMessage {
            subject,
            text: format!(
                "Hello {name},\n\nFollow this link to {action} for the {api_name}:\n{link}\n\n\
                 The link works once, for {days} days.\n"
            ),
            html: format!(
                "<p>Hello {},</p><p><a href=\"{link}\">Follow this link</a> to {action} for the {api_name}.</p>\
                 <p>The link works once, for {days} days.</p>",
                mail_links::escape_html(name)
            ),
        },
    )
    .await
}
