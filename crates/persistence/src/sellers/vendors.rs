//! Vendors' business profiles, their applications and the review of them,
//! and their documents. Vendor-facing reads take the vendor id: ownership is
//! part of the query.

use chrono::{DateTime, Utc};
use crypto::{DataClass, Field, Sealed};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::tenant::Tenant;
use rust_decimal::Decimal;
use uuid::Uuid;

use crate::StoreError;
use crate::schema::{
    seller_application_events, seller_applications, seller_business_profiles, seller_documents,
    sellers,
};

pub struct SellerContactEmail;
impl Field for SellerContactEmail {
    const COLUMN: &'static str = "seller_business_profiles.contact_email";
    const CLASS: DataClass = DataClass::Contact;
}

pub struct SellerContactPhone;
impl Field for SellerContactPhone {
    const COLUMN: &'static str = "seller_business_profiles.contact_phone";
    const CLASS: DataClass = DataClass::Contact;
}

pub struct SettlementAccountNumber;
impl Field for SettlementAccountNumber {
    const COLUMN: &'static str = "seller_business_profiles.settlement_account_number";
    const CLASS: DataClass = DataClass::Financial;
}

pub struct SettlementAccountHolder;
impl Field for SettlementAccountHolder {
    const COLUMN: &'static str = "seller_business_profiles.settlement_account_holder";
    const CLASS: DataClass = DataClass::Financial;
}

/// Vendor states as stored.
pub mod seller_status {
    pub const APPLYING: &str = "applying";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
}

/// What an application sets on the vendor.
#[derive(Debug, Insertable, AsChangeset)]
#[diesel(table_name = seller_business_profiles)]
pub struct BusinessProfile {
    pub id: Uuid,
    pub company_name: String,
    pub business_registration_no: String,
    pub representative_name: String,
    pub contact_email: Sealed<SellerContactEmail>,
    pub contact_phone: Sealed<SellerContactPhone>,
    pub settlement_bank_code: String,
    pub settlement_account_number: Sealed<SettlementAccountNumber>,
    pub settlement_account_holder: Sealed<SettlementAccountHolder>,
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = sellers, treat_none_as_null = true)]
pub struct ShippingPolicyRow {
    pub shipping_base_fee: Decimal,
    pub free_shipping_threshold: Option<Decimal>,
    pub remote_area_surcharge: Decimal,
    pub return_fee: Decimal,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = sellers, check_for_backend(diesel::pg::Pg))]
pub struct SellerRow {
    pub id: Uuid,
    pub name: String,
    pub status: String,
    pub currency: String,
    pub shipping_base_fee: Decimal,
    pub free_shipping_threshold: Option<Decimal>,
    pub remote_area_surcharge: Decimal,
    pub return_fee: Decimal,
    pub approved_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = seller_business_profiles, check_for_backend(diesel::pg::Pg))]
pub struct BusinessProfileRow {
    pub company_name: String,
    pub business_registration_no: String,
    pub representative_name: String,
    pub contact_email: Sealed<SellerContactEmail>,
    pub contact_phone: Sealed<SellerContactPhone>,
    pub settlement_bank_code: String,
    pub settlement_account_number: Sealed<SettlementAccountNumber>,
    pub settlement_account_holder: Sealed<SettlementAccountHolder>,
}

/// A vendor and its business profile (none before it first applies).
pub async fn find(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<(SellerRow, Option<BusinessProfileRow>)>, StoreError> {
    Ok(sellers::table
        .left_join(seller_business_profiles::table)
        .filter(sellers::id.eq(id))
        .select((
            SellerRow::as_select(),
            Option::<BusinessProfileRow>::as_select(),
        ))
        .first(conn)
        .await
        .optional()?)
}

/// The vendor's status, locked for the rest of the transaction.
pub async fn lock_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
) -> Result<Option<String>, StoreError> {
    Ok(sellers::table
        .find(id)
        .select(sellers::status)
        .for_update()
        .first(conn)
        .await
        .optional()?)
}

/// Sets the business profile and shipping policy an application brings; a
/// registration number another vendor has is a `Conflict` on
/// `seller_business_profiles_business_registration_no_key`.
pub async fn set_profile(
    conn: &mut AsyncPgConnection,
    profile: BusinessProfile,
    shipping: ShippingPolicyRow,
) -> Result<(), StoreError> {
    let id = profile.id;
    diesel::insert_into(seller_business_profiles::table)
        .values(&profile)
        .on_conflict(seller_business_profiles::id)
        .do_update()
        .set(&profile)
        .execute(conn)
        .await?;
    diesel::update(sellers::table.find(id))
        .set((shipping, sellers::version.eq(sellers::version + 1)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Changes the shipping policy if the vendor is still at `version` (any
/// version when `None`); returns the new version, `None` on a stale one.
pub async fn update_shipping_policy(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    version: Option<i32>,
    shipping: ShippingPolicyRow,
) -> Result<Option<i32>, StoreError> {
    let mut target = diesel::update(sellers::table)
        .filter(sellers::id.eq(id))
        .into_boxed();
    if let Some(version) = version {
        target = target.filter(sellers::version.eq(version));
    }
    Ok(target
        .set((shipping, sellers::version.eq(sellers::version + 1)))
        .returning(sellers::version)
        .get_result(conn)
        .await
        .optional()?)
}

pub async fn set_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
    approved_at: Option<DateTime<Utc>>,
) -> Result<(), StoreError> {
    diesel::update(sellers::table.find(id))
        .set((
            sellers::status.eq(status),
            sellers::approved_at.eq(approved_at),
            sellers::version.eq(sellers::version + 1),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_applications, check_for_backend(diesel::pg::Pg))]
pub struct ApplicationRow {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub status: String,
    pub review_note: Option<String>,
    pub submitted_by: Uuid,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTime<Utc>>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Opens an application; a vendor with one still open gets a `Conflict` on
/// `seller_applications_open_key`.
pub async fn insert_application(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    seller_id: Uuid,
    submitted_by: Uuid,
) -> Result<(), StoreError> {
    diesel::insert_into(seller_applications::table)
        .values((
            seller_applications::id.eq(id),
            seller_applications::seller_id.eq(seller_id),
            seller_applications::status.eq("submitted"),
            seller_applications::submitted_by.eq(submitted_by),
        ))
        .execute(conn)
        .await?;
    record_event(conn, id, "submitted", None, Some(submitted_by)).await
}

/// One application, if `tenant` may read it (a vendor its own, operations
/// any), locked for the rest of the transaction.
pub async fn lock_application(
    conn: &mut AsyncPgConnection,
    tenant: Tenant,
    id: Uuid,
) -> Result<Option<ApplicationRow>, StoreError> {
    use diesel::IntoSql;
    use diesel::sql_types::Bool;
    let seller_id = tenant.seller_id();
    Ok(seller_applications::table
        .filter(seller_applications::id.eq(id))
        .filter(
            seller_id
                .is_none()
                .into_sql::<Bool>()
                .or(seller_applications::seller_id.nullable().eq(seller_id)),
        )
        .for_update()
        .select(ApplicationRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// Moves an application to `status` (the caller checked the transition under
/// lock) and records the event.
pub async fn set_application_status(
    conn: &mut AsyncPgConnection,
    id: Uuid,
    status: &str,
    note: Option<&str>,
    actor_id: Uuid,
    reviewed: bool,
) -> Result<(), StoreError> {
    let now = Utc::now();
    diesel::update(seller_applications::table.find(id))
        .set((
            seller_applications::status.eq(status),
            seller_applications::review_note.eq(note),
            seller_applications::version.eq(seller_applications::version + 1),
        ))
        .execute(conn)
        .await?;
    if reviewed {
        diesel::update(seller_applications::table.find(id))
            .set((
                seller_applications::reviewed_by.eq(actor_id),
                seller_applications::reviewed_at.eq(now),
            ))
            .execute(conn)
            .await?;
    }
    record_event(conn, id, status, note, Some(actor_id)).await
}

async fn record_event(
    conn: &mut AsyncPgConnection,
    application_id: Uuid,
    status: &str,
    note: Option<&str>,
    actor_id: Option<Uuid>,
) -> Result<(), StoreError> {
    diesel::insert_into(seller_application_events::table)
        .values((
            seller_application_events::application_id.eq(application_id),
            seller_application_events::status.eq(status),
            seller_application_events::note.eq(note),
            seller_application_events::actor_id.eq(actor_id),
        ))
        .execute(conn)
        .await?;
    Ok(())
}

/// Applications in `status`, oldest first (the review queue), with the
/// vendor's names.
pub async fn applications_in(
    conn: &mut AsyncPgConnection,
    status: &str,
    limit: i64,
) -> Result<Vec<(ApplicationRow, String, Option<String>)>, StoreError> {
    Ok(seller_applications::table
        .inner_join(sellers::table)
        .filter(seller_applications::status.eq(status))
        .order((
            seller_applications::created_at.asc(),
            seller_applications::id.asc(),
        ))
        .limit(limit)
        .left_join(seller_business_profiles::table.on(seller_business_profiles::id.eq(sellers::id)))
        .select((
            ApplicationRow::as_select(),
            sellers::name,
            seller_business_profiles::company_name.nullable(),
        ))
        .load(conn)
        .await?)
}

/// A vendor's applications, newest first.
pub async fn applications_of(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
) -> Result<Vec<ApplicationRow>, StoreError> {
    Ok(seller_applications::table
        .filter(seller_applications::seller_id.eq(seller_id))
        .order(seller_applications::created_at.desc())
        .select(ApplicationRow::as_select())
        .load(conn)
        .await?)
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_application_events, check_for_backend(diesel::pg::Pg))]
pub struct ApplicationEventRow {
    pub status: String,
    pub note: Option<String>,
    pub actor_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

pub async fn application_events(
    conn: &mut AsyncPgConnection,
    application_id: Uuid,
) -> Result<Vec<ApplicationEventRow>, StoreError> {
    Ok(seller_application_events::table
        .filter(seller_application_events::application_id.eq(application_id))
        .order(seller_application_events::id.asc())
        .select(ApplicationEventRow::as_select())
        .load(conn)
        .await?)
}

#[derive(Debug, Insertable)]
#[diesel(table_name = seller_documents)]
pub struct NewDocument<'a> {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub application_id: Uuid,
    pub document_type: &'a str,
    pub object_key: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i32,
    pub sha256: &'a [u8],
    pub scan_status: &'a str,
    pub uploaded_by: Uuid,
}

pub async fn insert_document(
    conn: &mut AsyncPgConnection,
    document: NewDocument<'_>,
) -> Result<(), StoreError> {
    diesel::insert_into(seller_documents::table)
        .values(document)
        .execute(conn)
        .await?;
    Ok(())
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = seller_documents, check_for_backend(diesel::pg::Pg))]
pub struct DocumentRow {
    pub id: Uuid,
    pub seller_id: Uuid,
    pub application_id: Uuid,
    pub document_type: String,
    pub object_key: String,
    pub content_type: String,
    pub size_bytes: i32,
    pub scan_status: String,
    pub created_at: DateTime<Utc>,
}

/// One document of `seller_id`.
pub async fn find_document(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
    id: Uuid,
) -> Result<Option<DocumentRow>, StoreError> {
    Ok(seller_documents::table
        .filter(seller_documents::id.eq(id))
        .filter(seller_documents::seller_id.eq(seller_id))
        .select(DocumentRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

/// A vendor's documents, oldest first.
pub async fn documents_of(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
) -> Result<Vec<DocumentRow>, StoreError> {
    Ok(seller_documents::table
        .filter(seller_documents::seller_id.eq(seller_id))
        .order((
            seller_documents::created_at.asc(),
            seller_documents::id.asc(),
        ))
        .select(DocumentRow::as_select())
        .load(conn)
        .await?)
}

/// A vendor by its exact name (demo data keys vendors by name).
pub async fn find_id_by_name(
    conn: &mut AsyncPgConnection,
    name: &str,
) -> Result<Option<Uuid>, StoreError> {
    Ok(sellers::table
        .filter(sellers::name.eq(name))
        .select(sellers::id)
        .first(conn)
        .await
        .optional()?)
}

/// The vendor's owner (the first, if several).
pub async fn owner_of(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
) -> Result<Option<Uuid>, StoreError> {
    use crate::schema::staff_accounts;
    Ok(staff_accounts::table
        .filter(staff_accounts::seller_id.eq(seller_id))
        .filter(staff_accounts::seller_role.eq("owner"))
        .order(staff_accounts::created_at.asc())
        .select(staff_accounts::id)
        .first(conn)
        .await
        .optional()?)
}

/// How many products a vendor has.
pub async fn product_count(
    conn: &mut AsyncPgConnection,
    seller_id: Uuid,
) -> Result<i64, StoreError> {
    use crate::schema::products;
    Ok(products::table
        .filter(products::seller_id.eq(seller_id))
        .count()
        .get_result(conn)
        .await?)
}
