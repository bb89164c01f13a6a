//! Brands.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::StoreError;
use crate::schema::brands;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = brands, check_for_backend(diesel::pg::Pg))]
pub struct BrandRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub is_active: bool,
    pub version: i32,
}

/// Every brand (`active_only` for shoppers), by name.
pub async fn list(
    conn: &mut AsyncPgConnection,
    active_only: bool,
) -> Result<Vec<BrandRow>, StoreError> {
    let mut query = brands::table
        .order((brands::name, brands::id))
        .select(BrandRow::as_select())
        .into_boxed();
    if active_only {
        query = query.filter(brands::is_active.eq(true));
    }
    Ok(query.load(conn).await?)
}

/// A taken slug is `StoreError::Conflict` on `brands_slug_key`.
pub async fn insert(
    conn: &mut AsyncPgConnection,
    slug: &str,
    name: &str,
) -> Result<BrandRow, StoreError> {
    Ok(diesel::insert_into(brands::table)
        .values((brands::slug.eq(slug), brands::name.eq(name)))
        .returning(BrandRow::as_returning())
        .get_result(conn)
        .await?)
}

pub async fn find(conn: &mut AsyncPgConnection, id: i64) -> Result<Option<BrandRow>, StoreError> {
    Ok(brands::table
        .find(id)
        .select(BrandRow::as_select())
        .first(conn)
        .await
        .optional()?)
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = brands)]
pub struct BrandChanges {
    pub name: Option<String>,
    pub is_active: Option<bool>,
}

/// Applies `changes` at `version`; `None` when the version moved on.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: i64,
    version: i32,
    changes: BrandChanges,
) -> Result<Option<i32>, StoreError> {
    Ok(diesel::update(brands::table)
        .filter(brands::id.eq(id))
        .filter(brands::version.eq(version))
        .set((changes, brands::version.eq(brands::version + 1)))
        .returning(brands::version)
        .get_result(conn)
        .await
        .optional()?)
}
