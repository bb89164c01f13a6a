//! Shoppers' accounts and their emailed verifications.

use chrono::{DateTime, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{email_verifications, users};

pub struct UserEmail;
impl Field for UserEmail {
    const COLUMN: &'static str = "users.email";
    const CLASS: DataClass = DataClass::Contact;
}

pub struct UserName;
impl Field for UserName {
    const COLUMN: &'static str = "users.name";
    const CLASS: DataClass = DataClass::Contact;
}

pub struct UserPhone;
impl Field for UserPhone {
    const COLUMN: &'static str = "users.phone";
    const CLASS: DataClass = DataClass::Contact;
}

/// The birth date identity verification gave (`YYYY-MM-DD`).
pub struct UserBirthDate;
impl Field for UserBirthDate {
    const COLUMN: &'static str = "users.birth_date";
    const CLASS: DataClass = DataClass::Contact;
}

/// Account states as stored.
pub mod status {
    pub const PENDING_VERIFICATION: &str = "pending_verification";
    pub const ACTIVE: &str = "active";
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub id: Uuid,
    pub email: Sealed<UserEmail>,
    pub email_index: Vec<u8>,
    pub name: Sealed<UserName>,
    pub phone: Option<Sealed<UserPhone>>,
    pub phone_index: Option<Vec<u8>>,
    pub password_hash: Option<String>,
    pub status: &'static str,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::pg::Pg))]
pub struct UserRow {
    pub id: Uuid,
    pub email: Sealed<UserEmail>,
    pub name: Sealed<UserName>,
    pub phone: Option<Sealed<UserPhone>>,
    pub status: String,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub version: i32,
}

/// Inserts an account; a taken email or phone is `StoreError::Conflict`
/// naming `users_email_index_key` or `users_phone_index_key`.
pub async fn insert(conn: &mut AsyncPgConnection, user: NewUser) -> Result<(), StoreError> {
    diesel::insert_into(users::table)
        .values(user)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn find(conn: &mut AsyncPgConnection, id: Uuid) -> Result<UserRow, StoreError> {
    Ok(users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
        .await?)
}

pub async fn insert_email_verification(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    user_id: Uuid,
    purpose: &str,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::insert_into(email_verifications::table)
        .values((
            email_verifications::id.eq(id),
            email_verifications::user_id.eq(user_id),
            email_verifications::purpose.eq(purpose),
            email_verifications::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A verification as the email job needs it.
#[derive(Debug, Queryable)]
pub struct PendingVerification {
    pub user_id: Uuid,
    pub purpose: String,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

pub async fn find_email_verification(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<PendingVerification>, StoreError> {
    Ok(email_verifications::table
        .find(id)
        .select((
            email_verifications::user_id,
            email_verifications::purpose,
            email_verifications::expires_at,
            email_verifications::used_at.is_not_null(),
        ))
        .first(conn)
        .await
        .optional()?)
}

/// Marks the verification used if it is unused and unexpired at `now`;
/// returns its user. One statement, so two concurrent uses cannot both win.
pub async fn consume_email_verification(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    purpose: &str,
    now: DateTime<Utc>,
) -> Result<Option<Uuid>, StoreError> {
    Ok(diesel::update(
        email_verifications::table
            .filter(email_verifications::id.eq(id))
            .filter(email_verifications::purpose.eq(purpose))
            .filter(email_verifications::used_at.is_null())
            .filter(email_verifications::expires_at.gt(now)),
    )
    .set(email_verifications::used_at.eq(now))
    .returning(email_verifications::user_id)
    .get_result(conn)
    .await
    .optional()?)
}

/// Activates a pending account; `false` when it was not pending.
pub async fn activate(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::status.eq(status::PENDING_VERIFICATION)),
    )
    .set((
        users::status.eq(status::ACTIVE),
        users::email_verified_at.eq(now),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// What login needs of an account found by its email's blind index.
#[derive(Debug, Queryable)]
pub struct Credentials {
    pub id: Uuid,
    pub password_hash: Option<String>,
    pub status: String,
    /// Identity verification found the account holder of age...
    pub adult: bool,
    /// ...at this time.
    pub identity_verified_at: Option<DateTime<Utc>>,
}

pub async fn find_credentials_by_email_index(
    conn: &mut AsyncPgConnection,
    email_index: &[u8],
) -> Result<Option<Credentials>, StoreError> {
    Ok(users::table
        .filter(users::email_index.eq(email_index))
        .filter(users::status.ne("deleted"))
        .select((
            users::id,
            users::password_hash,
            users::status,
            users::adult,
            users::identity_verified_at,
        ))
        .first(conn)
        .await
        .optional()?)
}

/// A profile edit: `None` leaves a field as it is.
#[derive(Debug, Default, AsChangeset)]
#[diesel(table_name = users)]
pub struct ProfileChanges {
    pub name: Option<Sealed<UserName>>,
    pub phone: Option<Sealed<UserPhone>>,
    pub phone_index: Option<Vec<u8>>,
}

/// Applies `changes` if the row is still at `expected_version`; returns the
/// new version, or `None` when someone else changed it first.
pub async fn update_profile(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    expected_version: i32,
    changes: ProfileChanges,
) -> Result<Option<i32>, StoreError> {
    Ok(diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::version.eq(expected_version))
            .filter(users::status.ne("deleted")),
    )
    .set((changes, users::version.eq(users::version + 1)))
    .returning(users::version)
    .get_result(conn)
    .await
    .optional()?)
}

/// Replaces every personal value with a placeholder and marks the account
/// deleted; its id (and so its orders) stays.
pub async fn scrub(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    placeholder_email: Sealed<UserEmail>,
    placeholder_index: Vec<u8>,
    placeholder_name: Sealed<UserName>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::status.ne("deleted")),
    )
    .set((
        users::email.eq(placeholder_email),
        users::email_index.eq(placeholder_index),
        users::name.eq(placeholder_name),
        users::phone.eq(None::<Sealed<UserPhone>>),
        users::phone_index.eq(None::<Vec<u8>>),
        users::password_hash.eq(None::<String>),
        users::birth_date.eq(None::<Sealed<UserBirthDate>>),
        users::identity_ci_index.eq(None::<Vec<u8>>),
        users::adult.eq(false),
        users::identity_verified_at.eq(None::<DateTime<Utc>>),
        users::status.eq("deleted"),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
    .await?;
    diesel::delete(
        crate::schema::password_history::table
            .filter(crate::schema::password_history::user_id.eq(id)),
    )
    .execute(conn)
    .await?;
    crate::identity::sso::unlink_all(conn, id).await?;
    Ok(updated == 1)
}

/// What identity verification established about the account holder.
pub struct IdentityRecord {
    pub birth_date: Sealed<UserBirthDate>,
    pub adult: bool,
    /// Blind index of the provider's connecting information.
    pub ci_index: Option<Vec<u8>>,
    pub verified_at: DateTime<Utc>,
}

/// Stores a verification's outcome on a live account; `false` if there is none.
pub async fn record_identity(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    record: IdentityRecord,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::status.ne("deleted")),
    )
    .set((
        users::birth_date.eq(record.birth_date),
        users::adult.eq(record.adult),
        users::identity_ci_index.eq(record.ci_index),
        users::identity_verified_at.eq(record.verified_at),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// The new address of a pending email change.
pub struct PendingEmail;
impl Field for PendingEmail {
    const COLUMN: &'static str = "email_verifications.new_email";
    const CLASS: DataClass = DataClass::Contact;
}

/// A requested email change, waiting for the link sent to the new address.
pub struct NewEmailChange {
    pub id: Uuid,
    pub user_id: Uuid,
    pub new_email: Sealed<PendingEmail>,
    pub new_email_index: Vec<u8>,
    pub expires_at: DateTime<Utc>,
}

pub async fn insert_email_change(
    conn: &mut AsyncPgConnection,
    change: NewEmailChange,
) -> Result<(), StoreError> {
    diesel::insert_into(email_verifications::table)
        .values((
            email_verifications::id.eq(change.id),
            email_verifications::user_id.eq(change.user_id),
            email_verifications::purpose.eq("email_change"),
            email_verifications::expires_at.eq(change.expires_at),
            email_verifications::new_email.eq(change.new_email),
            email_verifications::new_email_index.eq(change.new_email_index),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// A pending email change as the link's job and its confirmation need it.
#[derive(Debug, Queryable)]
pub struct PendingEmailChange {
    pub user_id: Uuid,
    pub new_email: Option<Sealed<PendingEmail>>,
    pub new_email_index: Option<Vec<u8>>,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

pub async fn find_email_change(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<PendingEmailChange>, StoreError> {
    Ok(email_verifications::table
        .find(id)
        .filter(email_verifications::purpose.eq("email_change"))
        .select((
            email_verifications::user_id,
            email_verifications::new_email,
            email_verifications::new_email_index,
            email_verifications::expires_at,
            email_verifications::used_at.is_not_null(),
        ))
        .first(conn)
        .await
        .optional()?)
}

/// Replaces a live account's email; a taken address is
/// `StoreError::Conflict` naming `users_email_index_key`.
pub async fn update_email(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    email: Sealed<UserEmail>,
    email_index: Vec<u8>,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        users::table
            .filter(users::id.eq(id))
            .filter(users::status.ne("deleted")),
    )
    .set((
        users::email.eq(email),
        users::email_index.eq(email_index),
        users::email_verified_at.eq(now),
        users::version.eq(users::version + 1),
    ))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}

/// What the account's verification of age says: whether it found an
/// adult, and when it was made (`None`: no account).
pub async fn age_verification(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<(bool, Option<DateTime<Utc>>)>, StoreError> {
    Ok(users::table
        .find(id)
        .select((users::adult, users::identity_verified_at))
        .first(conn)
        .await
        .optional()?)
}

/// Records that the account's email was verified (by us or a provider).
pub async fn mark_email_verified(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    diesel::update(users::table.find(id))
        .set(users::email_verified_at.eq(now))
        .execute(conn)
        .await?;
    Ok(())
}
