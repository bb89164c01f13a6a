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
