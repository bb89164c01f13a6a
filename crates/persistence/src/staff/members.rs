//! Staff accounts of vendors and of operations, their second factor and
//! recovery codes, and the vendors they belong to.

use chrono::{DateTime, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::tenant::Tenant;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{sellers, staff_accounts, staff_recovery_codes};

pub struct StaffEmail;
impl Field for StaffEmail {
    const COLUMN: &'static str = "staff_accounts.email";
    const CLASS: DataClass = DataClass::Contact;
}

pub struct StaffName;
impl Field for StaffName {
    const COLUMN: &'static str = "staff_accounts.name";
    const CLASS: DataClass = DataClass::Contact;
}

/// A second-factor secret is a credential: the financial class, sealed twice.
pub struct StaffTotpSecret;
impl Field for StaffTotpSecret {
    const COLUMN: &'static str = "staff_accounts.totp_secret";
    const CLASS: DataClass = DataClass::Financial;
}

/// Which API a staff account belongs to.
pub mod kind {
    pub const SELLER: &str = "seller";
    pub const ADMIN: &str = "admin";
}

/// The kind of account a tenant's staff have.
pub fn kind_of(tenant: Tenant) -> &'static str {
    match tenant {
        Tenant::Seller(_) => kind::SELLER,
        Tenant::Operations => kind::ADMIN,
    }
}

/// Account states as stored.
pub mod status {
    /// Signed up (a vendor's owner); the emailed link activates it.
    pub const PENDING_VERIFICATION: &str = "pending_verification";
    /// Invited by a colleague; accepting the emailed link sets a password.
    pub const INVITED: &str = "invited";
    pub const ACTIVE: &str = "active";
    pub const DISABLED: &str = "disabled";
}

pub async fn insert_seller(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: &str,
) -> Result<(), StoreError> {
    diesel::insert_into(sellers::table)
        .values((sellers::id.eq(id), sellers::name.eq(name)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Approves a vendor (demo data; the review queue arrives with onboarding).
pub async fn approve_seller(conn: &mut AsyncPgConnection, id: Uuid) -> Result<(), StoreError> {
    diesel::update(sellers::table.find(id))
        .set(sellers::status.eq("approved"))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = staff_accounts)]
pub struct NewStaff {
    pub id: Uuid,
    pub kind: &'static str,
    pub seller_id: Option<Uuid>,
    pub seller_role: Option<&'static str>,
    pub email: Sealed<StaffEmail>,
    pub email_index: Vec<u8>,
    pub name: Sealed<StaffName>,
    pub password_hash: Option<String>,
    pub status: &'static str,
    pub link_sent_at: Option<DateTime<Utc>>,
}

/// Inserts an account; a taken email (per kind) is `StoreError::Conflict`
/// naming `staff_accounts_email_key`.
pub async fn insert(conn: &mut AsyncPgConnection, staff: NewStaff) -> Result<(), StoreError> {
    diesel::insert_into(staff_accounts::table)
        .values(staff)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = staff_accounts, check_for_backend(diesel::pg::Pg))]
pub struct StaffRow {
    pub id: Uuid,
    pub kind: String,
    pub seller_id: Option<Uuid>,
    pub seller_role: Option<String>,
    pub email: Sealed<StaffEmail>,
    pub name: Sealed<StaffName>,
    pub status: String,
    pub link_sent_at: Option<DateTime<Utc>>,
    pub mfa_enabled_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// One of `tenant`'s staff accounts: ownership is part of the query.
pub async fn find(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<Option<StaffRow>, StoreError> {
    Ok(staff_accounts::table
        .filter(staff_accounts::id.eq(id))
        .filter(staff_accounts::kind.eq(kind_of(tenant)))
        .filter(staff_accounts::seller_id.is_not_distinct_from(tenant.seller_id()))
        .select(StaffRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Every staff account of `tenant`, oldest first.
pub async fn list(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
) -> Result<Vec<StaffRow>, StoreError> {
    Ok(staff_accounts::table
        .filter(staff_accounts::kind.eq(kind_of(tenant)))
        .filter(staff_accounts::seller_id.is_not_distinct_from(tenant.seller_id()))
        .select(StaffRow::as_select())
        .order((staff_accounts::created_at, staff_accounts::id))
        .load(conn)
        .await?)
}

/// What login needs of an account found by its email's blind index.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = staff_accounts, check_for_backend(diesel::pg::Pg))]
pub struct StaffCredentials {
    pub id: Uuid,
    pub password_hash: Option<String>,
    pub status: String,
    pub seller_role: Option<String>,
    pub mfa_enabled_at: Option<DateTime<Utc>>,
}

pub async fn find_credentials_by_email_index(
    conn: &mut AsyncPgConnection,
    kind: &str,
    email_index: &[u8],
) -> Result<Option<StaffCredentials>, StoreError> {
    Ok(staff_accounts::table
        .filter(staff_accounts::kind.eq(kind))
        .filter(staff_accounts::email_index.eq(email_index))
        .select(StaffCredentials::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Moves an account from `from` to active, optionally setting its password,
/// if it is still in `from` and its link was sent after `sent_after`; one
/// statement, so a link works once.
pub async fn activate_from(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    from: &str,
    sent_after: DateTime<Utc>,
    password_hash: Option<&str>,
) -> Result<bool, StoreError> {
    let target = staff_accounts::table
        .filter(staff_accounts::id.eq(id))
        .filter(staff_accounts::status.eq(from))
        .filter(staff_accounts::link_sent_at.gt(sent_after));
    let updated = match password_hash {
        Some(hash) => {
            diesel::update(target)
                .set((
                    staff_accounts::status.eq(status::ACTIVE),
                    staff_accounts::password_hash.eq(hash),
                    staff_accounts::version.eq(staff_accounts::version + 1),
                ))
                .execute(conn)
                .await?
        }
        None => {
            diesel::update(target)
                .set((
                    staff_accounts::status.eq(status::ACTIVE),
                    staff_accounts::version.eq(staff_accounts::version + 1),
                ))
                .execute(conn)
                .await?
        }
    };
    Ok(updated == 1)
}

/// Disables one of `tenant`'s staff accounts; `false` if there is none.
pub async fn disable(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_accounts::table
            .filter(staff_accounts::id.eq(id))
            .filter(staff_accounts::kind.eq(kind_of(tenant)))
            .filter(staff_accounts::seller_id.is_not_distinct_from(tenant.seller_id()))
            .filter(staff_accounts::status.ne(status::DISABLED)),
    )
    .set((
        staff_accounts::status.eq(status::DISABLED),
        staff_accounts::version.eq(staff_accounts::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// The second factor of an account.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = staff_accounts, check_for_backend(diesel::pg::Pg))]
pub struct StaffMfa {
    pub id: Uuid,
    pub kind: String,
    pub seller_role: Option<String>,
    pub status: String,
    pub email: Sealed<StaffEmail>,
    pub totp_secret: Option<Sealed<StaffTotpSecret>>,
    pub mfa_enabled_at: Option<DateTime<Utc>>,
    pub totp_last_step: Option<i64>,
}

pub async fn find_mfa(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<StaffMfa>, StoreError> {
    Ok(staff_accounts::table
        .find(id)
        .select(StaffMfa::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Stores a new, not yet confirmed secret (replacing an unconfirmed one);
/// `false` when the account already has a confirmed second factor.
pub async fn set_pending_totp_secret(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    secret: Sealed<StaffTotpSecret>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_accounts::table
            .filter(staff_accounts::id.eq(id))
            .filter(staff_accounts::mfa_enabled_at.is_null()),
    )
    .set((
        staff_accounts::totp_secret.eq(secret),
        staff_accounts::totp_last_step.eq(None::<i64>),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Records `step` as used if it is later than the last one used; `false`
/// when it was already used (a replayed code). One statement, so two
/// requests cannot both use a code.
pub async fn accept_totp_step(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    step: i64,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_accounts::table
            .filter(staff_accounts::id.eq(id))
            .filter(
                staff_accounts::totp_last_step
                    .is_null()
                    .or(staff_accounts::totp_last_step.lt(step)),
            ),
    )
    .set(staff_accounts::totp_last_step.eq(step))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Confirms a pending secret; `false` when the factor was already enabled.
pub async fn enable_mfa(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_accounts::table
            .filter(staff_accounts::id.eq(id))
            .filter(staff_accounts::mfa_enabled_at.is_null())
            .filter(staff_accounts::totp_secret.is_not_null()),
    )
    .set((
        staff_accounts::mfa_enabled_at.eq(now),
        staff_accounts::version.eq(staff_accounts::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Replaces the account's recovery codes with these digests.
pub async fn replace_recovery_codes(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    digests: &[Vec<u8>],
) -> Result<(), StoreError> {
    diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(staff_id)))
        .execute(conn)
        .await?;
    let rows: Vec<_> = digests
        .iter()
        .map(|digest| {
            (
                staff_recovery_codes::staff_id.eq(staff_id),
                staff_recovery_codes::code_hash.eq(digest),
            )
        })
        .collect();
    diesel::insert_into(staff_recovery_codes::table)
        .values(rows)
        .execute(conn)
        .await?;
    Ok(())
}

/// Uses a recovery code once; `false` if unknown or already used.
pub async fn use_recovery_code(
    conn: &mut AsyncPgConnection,
    staff_id: Uuid,
    digest: &[u8],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_recovery_codes::table
            .filter(staff_recovery_codes::staff_id.eq(staff_id))
            .filter(staff_recovery_codes::code_hash.eq(digest))
            .filter(staff_recovery_codes::used_at.is_null()),
    )
    .set(staff_recovery_codes::used_at.eq(now))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// Who a verified staff token belongs to, as authorisation needs it.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = staff_accounts, check_for_backend(diesel::pg::Pg))]
pub struct StaffAccess {
    pub id: Uuid,
    pub kind: String,
    pub seller_id: Option<Uuid>,
    pub seller_role: Option<String>,
    pub status: String,
}

pub async fn find_access(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<StaffAccess>, StoreError> {
    Ok(staff_accounts::table
        .find(id)
        .select(StaffAccess::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Any staff account by id (the worker's email jobs).
pub async fn find_by_id(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<StaffRow>, StoreError> {
    Ok(staff_accounts::table
        .find(id)
        .select(StaffRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Removes an account's second factor and recovery codes (it enrols again
/// at its next login); `false` if `tenant` has no such account.
pub async fn clear_mfa(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        staff_accounts::table
            .filter(staff_accounts::id.eq(id))
            .filter(staff_accounts::kind.eq(kind_of(tenant)))
            .filter(staff_accounts::seller_id.is_not_distinct_from(tenant.seller_id())),
    )
    .set((
        staff_accounts::totp_secret.eq(None::<Sealed<StaffTotpSecret>>),
        staff_accounts::mfa_enabled_at.eq(None::<DateTime<Utc>>),
        staff_accounts::totp_last_step.eq(None::<i64>),
        staff_accounts::version.eq(staff_accounts::version + 1),
    ))
    .execute(conn)
    .await?;
    diesel::delete(staff_recovery_codes::table.filter(staff_recovery_codes::staff_id.eq(id)))
        .execute(conn)
        .await?;
    Ok(updated == 1)
}
