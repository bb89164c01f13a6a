//! Categories: rows and queries.

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use domain::catalog::category::CategoryRecord;

use crate::StoreError;
use crate::schema::categories;

#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
struct CategoryRow {
    id: i64,
    parent_id: Option<i64>,
    slug: String,
    name: String,
    display_order: i32,
    is_active: bool,
}

impl From<CategoryRow> for CategoryRecord {
    fn from(row: CategoryRow) -> Self {
        Self {
            id: row.id,
            parent_id: row.parent_id,
            slug: row.slug,
            name: row.name,
            display_order: row.display_order,
            is_active: row.is_active,
        }
    }
}

/// A category to create; depth is derived by the database from the parent.
#[derive(Debug, Insertable)]
#[diesel(table_name = categories)]
pub struct NewCategory<'a> {
    pub parent_id: Option<i64>,
    pub slug: &'a str,
    pub name: &'a str,
    pub display_order: i32,
    pub is_active: bool,
}

/// Every category, active or not (the whole table is small and cached by HTTP
/// validators; the tree is assembled by `domain`).
pub async fn list_all(conn: &mut AsyncPgConnection) -> Result<Vec<CategoryRecord>, StoreError> {
    let rows: Vec<CategoryRow> = categories::table
        .select(CategoryRow::as_select())
        .order(categories::id)
        .load(conn)
        .await?;
    Ok(rows.into_iter().map(CategoryRecord::from).collect())
}

pub async fn insert(
    conn: &mut AsyncPgConnection,
    category: &NewCategory<'_>,
) -> Result<i64, StoreError> {
    Ok(diesel::insert_into(categories::table)
        .values(category)
        .returning(categories::id)
        .get_result(conn)
        .await?)
}

pub async fn find_id_by_slug(
    conn: &mut AsyncPgConnection,
    slug: &str,
) -> Result<Option<i64>, StoreError> {
    Ok(categories::table
        .filter(categories::slug.eq(slug))
        .select(categories::id)
        .first(conn)
        .await
        .optional()?)
}

/// A category as operations manage it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = categories, check_for_backend(diesel::pg::Pg))]
pub struct ManagedCategory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub slug: String,
    pub name: String,
    pub depth: i16,
    pub display_order: i32,
    pub is_active: bool,
    pub version: i32,
}

pub async fn list_managed(
    conn: &mut AsyncPgConnection,
) -> Result<Vec<ManagedCategory>, StoreError> {
    Ok(categories::table
        .order((categories::depth, categories::display_order, categories::id))
        .select(ManagedCategory::as_select())
        .load(conn)
        .await?)
}

pub async fn find_managed(
    conn: &mut AsyncPgConnection,
    id: i64,
) -> Result<Option<ManagedCategory>, StoreError> {
    Ok(categories::table
        .find(id)
        .select(ManagedCategory::as_select())
        .first(conn)
        .await
        .optional()?)
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = categories)]
pub struct CategoryChanges {
    pub parent_id: Option<Option<i64>>,
    pub name: Option<String>,
    pub display_order: Option<i32>,
    pub is_active: Option<bool>,
}

/// Applies `changes` at `version`; `None` when the version moved on.
/// Moving a category that has children is `StoreError::Check`
/// (`categories_move_with_children`); too deep, `categories_depth_limit`.
pub async fn update(
    conn: &mut AsyncPgConnection,
    id: i64,
    version: i32,
    changes: CategoryChanges,
) -> Result<Option<i32>, StoreError> {
    Ok(diesel::update(categories::table)
        .filter(categories::id.eq(id))
        .filter(categories::version.eq(version))
        .set((changes, categories::version.eq(categories::version + 1)))
        .returning(categories::version)
        .get_result(conn)
        .await
        .optional()?)
}
