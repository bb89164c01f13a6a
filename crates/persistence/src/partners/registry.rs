//! Partner platforms and their credentials.

use chrono::{DateTime, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{partner_keys, partners};

/// A signing secret is a credential: the financial class, sealed twice.
pub struct PartnerSigningSecret;
impl Field for PartnerSigningSecret {
    const COLUMN: &'static str = "partner_keys.signing_secret";
    const CLASS: DataClass = DataClass::Financial;
}

pub mod status {
    pub const ACTIVE: &str = "active";
}

/// Creates a partner; a taken name is `StoreError::Conflict` naming `partners_name_key`.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    name: &str,
    scopes: &[&str],
    rate_limit_per_minute: i32,
) -> Result<(), StoreError> {
    diesel::insert_into(partners::table)
        .values((
            partners::id.eq(id),
            partners::name.eq(name),
            partners::scopes.eq(scopes),
            partners::rate_limit_per_minute.eq(rate_limit_per_minute),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Insertable)]
#[diesel(table_name = partner_keys)]
pub struct NewPartnerKey {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub prefix: String,
    pub key_hash: Vec<u8>,
    pub signing_secret: Sealed<PartnerSigningSecret>,
}

pub async fn insert_key(
    conn: &mut AsyncPgConnection,
    key: NewPartnerKey,
) -> Result<(), StoreError> {
    diesel::insert_into(partner_keys::table)
        .values(key)
        .execute(conn)
        .await?;
    Ok(())
}

/// What checking a signed request needs, found by the key's prefix.
#[derive(Debug, Queryable, Selectable)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct KeyForCheck {
    #[diesel(select_expression = partner_keys::key_hash)]
    pub key_hash: Vec<u8>,
    #[diesel(select_expression = partner_keys::signing_secret)]
    pub signing_secret: Sealed<PartnerSigningSecret>,
    #[diesel(select_expression = partners::id)]
    pub partner_id: Uuid,
    #[diesel(select_expression = partners::scopes)]
    pub scopes: Vec<Option<String>>,
    #[diesel(select_expression = partners::rate_limit_per_minute)]
    pub rate_limit_per_minute: i32,
}

/// The live key with `prefix` of an active partner.
pub async fn find_live_key(
    conn: &mut AsyncPgConnection,
    prefix: &str,
) -> Result<Option<KeyForCheck>, StoreError> {
    Ok(partner_keys::table
        .inner_join(partners::table)
        .filter(partner_keys::prefix.eq(prefix))
        .filter(partner_keys::revoked_at.is_null())
        .filter(partners::status.eq(status::ACTIVE))
        .select(KeyForCheck::as_select())
        .first(conn)
        .await
        .optional()?)
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = partners, check_for_backend(diesel::pg::Pg))]
pub struct PartnerRow {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub scopes: Vec<Option<String>>,
    pub rate_limit_per_minute: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = partner_keys, check_for_backend(diesel::pg::Pg))]
pub struct KeyRow {
    pub id: Uuid,
    pub partner_id: Uuid,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Every partner and every key (no secrets): two queries.
pub async fn list(
    conn: &mut AsyncPgConnection,
) -> Result<(Vec<PartnerRow>, Vec<KeyRow>), StoreError> {
    let partners = partners::table
        .select(PartnerRow::as_select())
        .order(partners::name)
        .load(conn)
        .await?;
    let keys = partner_keys::table
        .select(KeyRow::as_select())
        .order(partner_keys::created_at)
        .load(conn)
        .await?;
    Ok((partners, keys))
}

pub async fn exists(conn: &mut AsyncPgConnection, id: Uuid) -> Result<bool, StoreError> {
    Ok(
        diesel::select(diesel::dsl::exists(partners::table.find(id)))
            .get_result(conn)
            .await?,
    )
}

/// Revokes one of a partner's keys; `false` if there is no such live key.
pub async fn revoke_key(
    conn: &mut AsyncPgConnection,
    partner_id: Uuid,
    key_id: Uuid,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let updated = diesel::update(
        partner_keys::table
            .filter(partner_keys::id.eq(key_id))
            .filter(partner_keys::partner_id.eq(partner_id))
            .filter(partner_keys::revoked_at.is_null()),
    )
    .set(partner_keys::revoked_at.eq(now))
    .execute(conn)
    .await?;
    Ok(updated == 1)
}
